//! Two people's edits of one text, put together by lines (a three-way merge):
//! each changed the text they were given (`base`); when their changes touch
//! different lines, both are kept. Refuses (returns `None`) when the changes
//! touch the same or neighbouring lines and differ, or the texts are too long
//! to compare quickly: the second person is then asked to look again, as before.
//! Pure: it reads and writes nothing.

use crate::base::align::{align, Step};

/// A change of one side: base lines `from..to` become `lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hunk<'a> {
    from: usize,
    to: usize,
    lines: Vec<&'a str>,
}

/// Lines compared at most (base × side), so a merge stays a few milliseconds.
const MOST_CELLS: usize = 4_000_000;

/// `theirs` and `mine`, both made from `base`, as one text; `None` when they
/// changed the same (or neighbouring) lines differently.
pub fn merge_lines(base: &str, theirs: &str, mine: &str) -> Option<String> {
    let b: Vec<&str> = base.split('\n').collect();
    let (t, m): (Vec<&str>, Vec<&str>) = (theirs.split('\n').collect(), mine.split('\n').collect());
    let (ours, others) = (hunks(&b, &m)?, hunks(&b, &t)?);
    let mut all: Vec<Hunk> = Vec::new();
    for h in ours.into_iter().chain(others) {
        if all.contains(&h) {
            continue; // both made the same change
        }
        if all.iter().any(|o| o.from <= h.to && h.from <= o.to) {
            return None;
        }
        all.push(h);
    }
    all.sort_by_key(|h| h.from);
    let mut out: Vec<&str> = Vec::new();
    let mut at = 0;
    for h in &all {
        out.extend(&b[at..h.from]);
        out.extend(&h.lines);
        at = h.to;
    }
    out.extend(&b[at..]);
    Some(out.join("\n"))
}

/// The changes from `base` to `side`, in order; `None` when they are too long to compare.
fn hunks<'a>(base: &[&'a str], side: &[&'a str]) -> Option<Vec<Hunk<'a>>> {
    if base.len().saturating_mul(side.len()) > MOST_CELLS {
        return None;
    }
    let (mut i, mut j, mut out, mut open) = (0, 0, Vec::new(), None);
    for step in align(base, side) {
        match step {
            Step::Same => {
                out.extend(open.take());
                (i, j) = (i + 1, j + 1);
            }
            Step::Added => {
                open.get_or_insert(Hunk {
                    from: i,
                    to: i,
                    lines: Vec::new(),
                })
                .lines
                .push(side[j]);
                j += 1;
            }
            Step::Removed => {
                i += 1;
                open.get_or_insert(Hunk {
                    from: i - 1,
                    to: i,
                    lines: Vec::new(),
                })
                .to = i;
            }
        }
    }
    out.extend(open);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "Mở đầu.\nNông nghiệp: lúa 6.100 ha.\nCông nghiệp ổn định.\nY tế: 129 ca.\nKết luận.";

    #[test]
    fn changes_of_different_lines_are_both_kept() {
        let theirs = BASE.replace("lúa 6.100 ha", "lúa 6.120 ha");
        let mine = BASE.replace("129 ca", "137 ca");
        let merged = merge_lines(BASE, &theirs, &mine).unwrap();
        assert_eq!(merged, BASE.replace("lúa 6.100 ha", "lúa 6.120 ha").replace("129 ca", "137 ca"));
        // Added and removed lines too.
        let theirs = BASE.replace("Mở đầu.\n", "Mở đầu.\nMột câu mới.\n");
        let mine = BASE.replace("\nKết luận.", "");
        let merged = merge_lines(BASE, &theirs, &mine).unwrap();
        assert_eq!(
            merged,
            "Mở đầu.\nMột câu mới.\nNông nghiệp: lúa 6.100 ha.\nCông nghiệp ổn định.\nY tế: 129 ca."
        );
    }

    #[test]
    fn the_same_or_a_neighbouring_line_changed_differently_is_refused() {
        let theirs = BASE.replace("129 ca", "130 ca");
        assert_eq!(merge_lines(BASE, &theirs, &BASE.replace("129 ca", "137 ca")), None);
        assert_eq!(merge_lines(BASE, &theirs, &BASE.replace("Kết luận.", "Kết luận chung.")), None);
        // The very same change by both is no conflict.
        assert_eq!(merge_lines(BASE, &theirs, &theirs).as_deref(), Some(theirs.as_str()));
        // Nothing changed by one side: the other's text.
        assert_eq!(merge_lines(BASE, BASE, &theirs).as_deref(), Some(theirs.as_str()));
    }
}
