//! Readable text from a saved web page: the article, without scripts, styles, navigation,
//! headers, footers, forms or asides. Parsed with a real HTML parser (html5ever, through
//! `scraper`), so broken markup is handled the way browsers do.

use scraper::{ElementRef, Html, Node, Selector};

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
    "iframe", "template", "select", "figure", "menu", "dialog",
];

/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "figcaption",
    "hr",
    "address",
];

/// The page's readable text: its title (from `<h1>` or `<title>`) as the first line, then
/// one paragraph per block, separated by blank lines.
#[must_use]
pub fn readable_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let select = |s: &str| Selector::parse(s).ok();
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| select(s))
        .find_map(|sel| doc.select(&sel).next());
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    if let Some(root) = root {
        walk(root, &mut paragraphs, &mut current);
    }
    flush(&mut paragraphs, &mut current);
    let title = select("h1")
        .and_then(|sel| doc.select(&sel).next())
        .map(|h| collapse(&h.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            select("title")
                .and_then(|sel| doc.select(&sel).next())
                .map(|t| collapse(&t.text().collect::<String>()))
        })
        .unwrap_or_default();
    if !title.is_empty() && paragraphs.first() != Some(&title) {
        paragraphs.insert(0, title);
    }
    paragraphs.join("\n\n")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn flush(paragraphs: &mut Vec<String>, current: &mut String) {
    let p = collapse(current);
    if !p.is_empty() {
        paragraphs.push(p);
    }
    current.clear();
}

fn walk(el: ElementRef<'_>, paragraphs: &mut Vec<String>, current: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name)
                    || e.attr("hidden").is_some()
                    || e.attr("aria-hidden") == Some("true")
                {
                    continue;
                }
                if name == "br" {
                    flush(paragraphs, current);
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    flush(paragraphs, current);
                }
                if let Some(child_el) = ElementRef::wrap(child) {
                    walk(child_el, paragraphs, current);
                }
                if block {
                    flush(paragraphs, current);
                }
            }
            _ => {}
        }
    }
}

/// True for file names of saved web pages.
#[must_use]
pub fn is_html_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_the_page_furniture() {
        let html = r#"<!doctype html><html><head><title>Site | Story</title>
            <style>p { color: red }</style><script>var x = "More than 10,000";</script></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <header>Breaking news ticker</header>
            <article><h1>Protesters do not yield</h1>
            <p>More than 160 people,
               including <b>police officers</b>, were killed.</p>
            <p>“We have only one request,” she said.<br>Second line</p>
            <aside>Related: other story</aside><figure><img src="x.jpg"><figcaption>Photo</figcaption></figure>
            </article><footer>© Site 24/7</footer></body></html>"#;
        let text = readable_text(html);
        assert_eq!(
            text,
            "Protesters do not yield\n\nMore than 160 people, including police officers, were killed.\n\n“We have only one request,” she said.\n\nSecond line"
        );
    }

    #[test]
    fn broken_markup_and_no_article_element() {
        let text = readable_text("<p>One<p>Two <i>three</p><div>Four");
        assert_eq!(text, "One\n\nTwo three\n\nFour");
        assert_eq!(readable_text(""), "");
    }
}
