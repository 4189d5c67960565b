//! The HTML pages: minijinja templates compiled into the binary, with HTML
//! auto-escaping (every text from data or fragments is escaped).

use minijinja::{AutoEscape, Environment};

/// Templates and static files built into the binary.
const TEMPLATES: [(&str, &str); 12] = [
    ("base.html", include_str!("assets/base.html")),
    ("home.html", include_str!("assets/home.html")),
    ("figures.html", include_str!("assets/figures.html")),
    ("report.html", include_str!("assets/report.html")),
    ("fragment.html", include_str!("assets/fragment.html")),
    ("error.html", include_str!("assets/error.html")),
    ("login.html", include_str!("assets/login.html")),
    ("nop.html", include_str!("assets/nop.html")),
    ("accounts.html", include_str!("assets/accounts.html")),
    ("word.html", include_str!("assets/word.html")),
    ("report_type.html", include_str!("assets/report_type.html")),
    ("word_compare.html", include_str!("assets/word_compare.html")),
];

/// Static files: (name, content type, bytes).
pub const ASSETS: [(&str, &str, &str); 2] = [
    ("app.js", "text/javascript; charset=utf-8", include_str!("assets/app.js")),
    ("style.css", "text/css; charset=utf-8", include_str!("assets/style.css")),
];

/// The page renderer.
pub struct Pages {
    env: Environment<'static>,
}

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

impl Pages {
    pub fn new() -> Pages {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // A stored time as people read it: "19:00 ngày 05/12/2026".
        env.add_filter("gio", |t: String| crate::words::time(&t));
        for (name, src) in TEMPLATES {
            env.add_template(name, src).expect("built-in page template");
        }
        Pages { env }
    }

    /// Renders page `name` with `ctx`; a failure is shown as text (never a panic).
    pub fn render(&self, name: &str, ctx: minijinja::Value) -> String {
        self.env.get_template(name).and_then(|t| t.render(ctx)).unwrap_or_else(|e| {
            super::WebText::PageFailed {
                name: name.to_string(),
                detail: e.to_string(),
            }
            .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_text_is_escaped() {
        let p = Pages::new();
        let html = p.render(
            "error.html",
            minijinja::context! { title => "x", message => "<script>alert(1)</script>" },
        );
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>alert"), "{html}");
    }
}
