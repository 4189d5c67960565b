//! The longest-common-subsequence alignment of two sequences (sentences, words,
//! lines): which items stay, which were removed, which added. Used to compare
//! two versions' wording and to put two edits of one text together. Quadratic
//! in time and memory: callers that take their input from a request bound it.

/// One step of an alignment of two sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The next item of both.
    Same,
    /// The next item of the first only.
    Removed,
    /// The next item of the second only.
    Added,
}

/// Longest-common-subsequence alignment of `a` and `b`, in order; at a tie an
/// addition comes before a removal.
pub fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut steps) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            steps.push(Step::Same);
            (i, j) = (i + 1, j + 1);
        } else if j < m && (i == n || len[i][j + 1] >= len[i + 1][j]) {
            steps.push(Step::Added);
            j += 1;
        } else {
            steps.push(Step::Removed);
            i += 1;
        }
    }
    steps
}
