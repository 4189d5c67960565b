//! Fragments rendered before, kept with the figures they read. While a
//! preview is open a clerk corrects one figure at a time; a fragment that
//! never read that figure would render to the same text, so it is given back
//! as it was instead of being rendered and converted again.
//!
//! What a fragment read is noted as it renders: each indicator it looked up
//! in a sector, or the whole sector when it walked through one
//! ([`super::filters::SectorValue`] notes both). A kept fragment is given back
//! only when every one of those reads finds the same indicator (value, prior
//! year, targets, cell, draft or not), the period is the same and the period
//! has the same sectors. It refuses to keep what failed (errors are always
//! rendered again, so every error is reported each time), and it lives with
//! one kept environment ([`super::kept`]): a changed fragment text means a new
//! environment, and nothing kept from the old one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::Value;

use super::filters::{IndicatorValue, SectorValue};
use super::Fragment;
use crate::error::Result;

/// Renderings kept per fragment (a draft preview and a PDF version of the
/// same period read different values: both are kept).
const PER_FRAGMENT: usize = 2;

/// The fragments an environment rendered, by fragment name.
#[derive(Default)]
pub struct Memo {
    kept: Mutex<HashMap<String, Vec<Arc<Kept>>>>,
}

/// One rendering of a fragment and what it read.
struct Kept {
    period: Value,
    sectors: Vec<String>,
    reads: Vec<Read>,
    fragment: Fragment,
}

/// One read of the figures: indicator `code` of `sector`, or all of it.
struct Read {
    sector: Arc<SectorValue>,
    code: Option<String>,
}

thread_local! {
    /// The reads of the fragment rendering on this thread, when noted.
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Notes that the fragment rendering on this thread read indicator `code` of
/// `sector` (the whole sector when `None`). Does nothing outside [`Memo::fragment`].
pub(super) fn note(sector: &Arc<SectorValue>, code: Option<&str>) {
    READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(Read {
                sector: sector.clone(),
                code: code.map(str::to_string),
            });
        }
    });
}

impl Memo {
    /// Fragment `name` rendered in `ctx`: the kept rendering when everything it
    /// read is unchanged, else `render()` (kept when it succeeds).
    pub fn fragment(&self, name: &str, ctx: &Value, render: impl FnOnce() -> Result<Fragment>) -> Result<Fragment> {
        let (period, sectors) = shape(ctx);
        let found = self.lock().get(name).and_then(|all| {
            all.iter()
                .find(|k| k.period == period && k.sectors == sectors && k.reads.iter().all(|r| r.unchanged_in(ctx)))
                .cloned()
        });
        if let Some(k) = found {
            return Ok(k.fragment.clone());
        }
        let (fragment, reads) = noting(render);
        let fragment = fragment?;
        let kept = Arc::new(Kept {
            period,
            sectors,
            reads,
            fragment: fragment.clone(),
        });
        let mut all = self.lock();
        let list = all.entry(name.to_string()).or_default();
        list.insert(0, kept);
        list.truncate(PER_FRAGMENT);
        Ok(fragment)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Arc<Kept>>>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `render` noting what it reads of the figures.
fn noting<T>(render: impl FnOnce() -> T) -> (T, Vec<Read>) {
    /// Puts back what was noted before, even if `render` panics.
    struct Restore(Option<Vec<Read>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            READS.with(|r| *r.borrow_mut() = outer);
        }
    }
    let restore = Restore(READS.with(|r| r.replace(Some(Vec::new()))));
    let out = render();
    let reads = READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    drop(restore);
    (out, reads)
}

/// What every fragment may read without a note: the period (`ky`) and which
/// sectors the period has (`so_lieu`'s names, `... is defined`).
fn shape(ctx: &Value) -> (Value, Vec<String>) {
    let period = ctx.get_attr("ky").unwrap_or_default();
    let sectors = ctx
        .get_attr("so_lieu")
        .ok()
        .and_then(|all| all.try_iter().ok().map(|keys| keys.map(|k| k.to_string()).collect()))
        .unwrap_or_default();
    (period, sectors)
}

impl Read {
    /// Whether `ctx` has this sector and it gives the same as it gave then.
    fn unchanged_in(&self, ctx: &Value) -> bool {
        let Ok(now) = ctx.get_attr(&self.sector.name) else {
            return false;
        };
        let Some(now) = now.downcast_object_ref::<SectorValue>() else {
            return false;
        };
        let then = &self.sector;
        match &self.code {
            Some(code) => same(now.items.get(code), then.items.get(code)),
            None => {
                now.items.len() == then.items.len()
                    && now
                        .items
                        .iter()
                        .zip(&then.items)
                        .all(|((a, x), (b, y))| a == b && same(Some(x), Some(y)))
            }
        }
    }
}

/// Two looked-up indicators alike in everything a fragment can print.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (a.downcast_object_ref::<IndicatorValue>(), b.downcast_object_ref::<IndicatorValue>()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Indicator, Sector};

    fn ctx(sectors: &[(&str, &[(&str, f64)])], draft: bool) -> Value {
        let mut all = std::collections::BTreeMap::new();
        for (name, values) in sectors {
            let sector = Sector {
                name: name.to_string(),
                indicators: values.iter().map(|(c, v)| Indicator::new(c, Some(*v))).collect(),
                ..Default::default()
            };
            all.insert(name.to_string(), Value::from_object(SectorValue::with_draft(&sector, draft)));
        }
        let mut ctx = all.clone();
        ctx.insert("so_lieu".to_string(), Value::from(all));
        ctx.insert("ky".to_string(), Value::from("2026-02"));
        Value::from(ctx)
    }

    /// Renders `text` as fragment `name` through `memo`; counts the renders.
    fn render(memo: &Memo, name: &str, text: &str, ctx: &Value, renders: &mut usize) -> String {
        let mut env = minijinja::Environment::new();
        super::super::filters::register(&mut env);
        let f = memo
            .fragment(name, ctx, || {
                *renders += 1;
                let output = env.render_str(text, ctx).unwrap();
                Ok(Fragment {
                    name: name.to_string(),
                    file: name.into(),
                    template_source: text.to_string(),
                    output,
                    spans: vec![],
                    converted: Default::default(),
                })
            })
            .unwrap();
        f.output
    }

    #[test]
    fn a_fragment_is_rendered_again_only_when_what_it_read_changed() {
        let memo = Memo::default();
        let mut n = 0;
        let trau = "Đàn trâu {{ nong_nghiep.dan_trau }} con.";
        let feb = ctx(
            &[("nong_nghiep", &[("dan_trau", 1.0), ("dan_bo", 2.0)]), ("y_te", &[("giuong", 5.0)])],
            true,
        );
        assert_eq!(render(&memo, "a", trau, &feb, &mut n), "Đàn trâu 1 con.");
        assert_eq!(n, 1);
        // Another indicator of the same sector and another sector changed: kept.
        let other = ctx(
            &[("nong_nghiep", &[("dan_trau", 1.0), ("dan_bo", 9.0)]), ("y_te", &[("giuong", 7.0)])],
            true,
        );
        assert_eq!(render(&memo, "a", trau, &other, &mut n), "Đàn trâu 1 con.");
        assert_eq!(n, 1, "nothing it read changed");
        // What it read changed: rendered again.
        let changed = ctx(
            &[("nong_nghiep", &[("dan_trau", 3.0), ("dan_bo", 9.0)]), ("y_te", &[("giuong", 7.0)])],
            true,
        );
        assert_eq!(render(&memo, "a", trau, &changed, &mut n), "Đàn trâu 3 con.");
        assert_eq!(n, 2);
        // The same values in a PDF version (not a draft): rendered again.
        let version = ctx(
            &[("nong_nghiep", &[("dan_trau", 3.0), ("dan_bo", 9.0)]), ("y_te", &[("giuong", 7.0)])],
            false,
        );
        render(&memo, "a", trau, &version, &mut n);
        assert_eq!(n, 3);
        // A sector walked through is read whole; a sector added changes `so_lieu`.
        let walk = "{% for code, i in y_te|items %}{{ code }}={{ i }} {% endfor %}";
        assert_eq!(render(&memo, "b", walk, &changed, &mut n), "giuong=7 ");
        render(&memo, "b", walk, &other, &mut n);
        assert_eq!(n, 4, "the walked sector is unchanged");
        let y_te_changed = ctx(&[("nong_nghiep", &[("dan_trau", 3.0)]), ("y_te", &[("giuong", 8.0)])], true);
        assert_eq!(render(&memo, "b", walk, &y_te_changed, &mut n), "giuong=8 ");
        assert_eq!(n, 5);
        let names = "{% for s in so_lieu %}{{ s }} {% endfor %}";
        assert_eq!(render(&memo, "c", names, &feb, &mut n), "nong_nghiep y_te ");
        let added = ctx(&[("nong_nghiep", &[]), ("thue", &[]), ("y_te", &[])], true);
        assert_eq!(render(&memo, "c", names, &added, &mut n), "nong_nghiep thue y_te ");
        assert_eq!(n, 7);
        // A failed rendering is never kept.
        let failed = memo.fragment("d", &feb, || Err(crate::error::Error::BadName("x".into())));
        assert!(failed.is_err());
        assert!(memo.lock().get("d").is_none());
    }
}
