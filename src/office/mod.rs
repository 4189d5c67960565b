//! The office around the pipeline: who acts ([`actor`]), their accounts
//! ([`accounts`]), the change log of every period ([`audit`]) and starting new periods and report types
//! from existing ones ([`scaffold`]). Nothing here knows a web page exists.

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod departments;
mod logged;
pub mod scaffold;
