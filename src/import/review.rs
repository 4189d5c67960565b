//! The import's record for the page (`templates/<name>/nhap-tu-word.toml`): what
//! the import did (counts, the numbers left as text and why, what it could not
//! read) and, for each figure it made an indicator, where it stands in which
//! fragment and the words it replaced, so that the office can confirm it or turn
//! it back into the document's own words one by one.
//!
//! Pure: text in, text out. Refuses a record that does not parse (the hall says
//! which file). Turning back writes the document's words through
//! [`escape`](super::figures::escape), never as markup.

use serde::{Deserialize, Serialize};

use super::figures::{escape, Figures};
use super::Summary;

/// The record file's name, beside mau.toml.
pub const FILE_NAME: &str = "nhap-tu-word.toml";

/// The import's record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The document's own period ("2026-03").
    #[serde(rename = "ky")]
    pub period: String,
    /// The sector file the figures went to (its name without ".csv").
    #[serde(rename = "linh_vuc")]
    pub sector: String,
    #[serde(rename = "so_muc")]
    pub sections: usize,
    #[serde(rename = "so_chu_thich")]
    pub footnotes: usize,
    #[serde(rename = "so_bang")]
    pub tables: usize,
    /// Numbers left as text, with why.
    #[serde(rename = "giu_chu", default)]
    pub left: Vec<LeftNumber>,
    /// Parts the import could not read.
    #[serde(rename = "khong_doc_duoc", default)]
    pub unread: Vec<String>,
    /// The figures made indicators.
    #[serde(rename = "so_lieu", default)]
    pub figures: Vec<Figure>,
    /// The Word document's text, paragraph by paragraph (for the comparison page).
    #[serde(rename = "chu_van_ban_word", default)]
    pub word_text: Vec<String>,
}

/// A number left as text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftNumber {
    #[serde(rename = "so")]
    pub number: String,
    #[serde(rename = "vi_sao")]
    pub why: String,
    #[serde(rename = "trich")]
    pub excerpt: String,
}

/// A figure made an indicator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    #[serde(rename = "ma")]
    pub code: String,
    /// The fragment it stands in (its file name without ".txt").
    #[serde(rename = "doan")]
    pub fragment: String,
    /// The words around it, the figure itself between `before` and `after`.
    #[serde(rename = "truoc")]
    pub before: String,
    #[serde(rename = "sau")]
    pub after: String,
    /// Confirmed by the office on the page.
    #[serde(rename = "da_xac_nhan", default)]
    pub confirmed: bool,
    /// Each placeholder and the words it replaced.
    #[serde(rename = "cho")]
    pub uses: Vec<Use>,
}

/// A placeholder and the document's words it replaced.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Use {
    #[serde(rename = "ma_mau")]
    pub placeholder: String,
    #[serde(rename = "chu")]
    pub written: String,
}

impl Figure {
    /// The document's words of the figure ("99,8%").
    pub fn written(&self) -> &str {
        self.uses.first().map(|u| u.written.as_str()).unwrap_or_default()
    }

    /// `fragment` with this figure's placeholders put back as the document's words.
    pub fn turn_back(&self, fragment: &str) -> String {
        self.uses
            .iter()
            .fold(fragment.to_string(), |text, u| text.replace(&u.placeholder, &escape(&u.written)))
    }

    /// Whether `fragment` still holds one of this figure's placeholders.
    pub fn stands_in(&self, fragment: &str) -> bool {
        self.uses.iter().any(|u| fragment.contains(&u.placeholder))
    }
}

/// Characters of context on each side of a figure.
const CONTEXT: usize = 90;

/// The record of an import: `fragments` are (name, text) as written.
pub fn record(summary: &Summary, figures: &Figures, fragments: &[(String, String)], word_text: &[String]) -> Review {
    let readable = |text: &str| {
        figures
            .indicators
            .iter()
            .flat_map(|i| &i.uses)
            .fold(text.to_string(), |t, u| t.replace(&u.placeholder, &u.written))
    };
    let figures_made = figures
        .indicators
        .iter()
        .filter_map(|ind| {
            let first = ind.uses.first()?;
            let (fragment, text) = fragments.iter().find(|(_, t)| t.contains(&first.placeholder))?;
            let (before, after) = text.split_once(&first.placeholder)?;
            Some(Figure {
                code: ind.code.clone(),
                fragment: fragment.clone(),
                before: tail(&readable(before), CONTEXT),
                after: head(&readable(after), CONTEXT),
                confirmed: false,
                uses: ind
                    .uses
                    .iter()
                    .map(|u| Use {
                        placeholder: u.placeholder.clone(),
                        written: u.written.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    Review {
        period: summary.period.map(|p| p.to_string()).unwrap_or_default(),
        sector: summary.sector.clone(),
        sections: summary.sections,
        footnotes: summary.footnotes,
        tables: summary.tables,
        left: summary
            .left
            .iter()
            .map(|(n, why, excerpt)| LeftNumber {
                number: n.clone(),
                why: why.to_string(),
                excerpt: excerpt.clone(),
            })
            .collect(),
        unread: summary.unread.iter().map(|(part, para)| format!("{part}: {para}")).collect(),
        figures: figures_made,
        word_text: word_text.to_vec(),
    }
}

/// The record as TOML.
pub fn to_text(review: &Review) -> String {
    toml::to_string(review).unwrap_or_default()
}

/// A record read back.
pub fn parse(text: &str) -> Result<Review, toml::de::Error> {
    toml::from_str(text)
}

/// The last `n` characters of the text's last paragraph, without markup of notes.
fn tail(text: &str, n: usize) -> String {
    let para = text.rsplit("\n\n").next().unwrap_or_default();
    let chars: Vec<char> = para.chars().collect();
    let cut: String = chars[chars.len().saturating_sub(n)..].iter().collect();
    match chars.len() > n {
        true => format!("…{}", cut.trim_start()),
        false => cut,
    }
}

/// The first `n` characters of the text's first paragraph.
fn head(text: &str, n: usize) -> String {
    let para = text.split("\n\n").next().unwrap_or_default();
    let chars: Vec<char> = para.chars().collect();
    let cut: String = chars[..chars.len().min(n)].iter().collect();
    match chars.len() > n {
        true => format!("{}…", cut.trim_end()),
        false => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_turns_back_into_the_documents_words() {
        let mut f = Figures::new("nq");
        let text = f.convert("Mẫu giáo đạt 99,8%, tiểu học đạt 99,9%.");
        let summary = Summary {
            sector: "nq".into(),
            ..Summary::default()
        };
        let review = record(&summary, &f, &[("muc-1".into(), text.clone())], &[]);
        assert_eq!(review.figures.len(), 2);
        let first = &review.figures[0];
        assert_eq!(first.written(), "99,8%");
        assert_eq!(first.before, "Mẫu giáo đạt ");
        assert!(first.after.starts_with(", tiểu học đạt 99,9%"), "{}", first.after);
        let back = first.turn_back(&text);
        assert!(back.starts_with("Mẫu giáo đạt 99,8%, tiểu học đạt {{ nq."), "{back}");
        assert!(!first.stands_in(&back) && review.figures[1].stands_in(&back));
        let again = parse(&to_text(&review)).unwrap();
        assert_eq!(again.figures[1].uses[0].placeholder, review.figures[1].uses[0].placeholder);
    }
}
