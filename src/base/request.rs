//! What to render: a report type and a period, already validated (the hall's
//! `access` makes them from request names; the stages take them as given).

use crate::base::period::Period;

/// A report type (a folder of templates/) and a period.
#[derive(Debug, Clone)]
pub struct Request {
    pub report: String,
    pub period: Period,
}
