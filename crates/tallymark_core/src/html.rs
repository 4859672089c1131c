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
    readable_text_of(&parse(html))
}

/// How deep elements may nest before their tags are left out. Real pages stay far below
/// (a few dozen levels); html5ever scans the stack of open elements at every block
/// element, so a page of 200,000 nested `<div>`s took over a minute to parse.
pub const MAX_DEPTH: usize = 512;

/// Parses a page as browsers do, with the tags of elements nested deeper than
/// [`MAX_DEPTH`] left out (their text is kept): see [`cap_nesting`].
#[must_use]
pub fn parse(html: &str) -> Html {
    Html::parse_document(&cap_nesting(html, MAX_DEPTH))
}

/// Void elements: never closed, so they never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out (the next one closes them): they do not pile
/// up, so they are not counted, and never dropped.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc",
    "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose content is raw text: tags inside them are not tags.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// `html` with the start and end tags of elements nested more than `max` deep left out,
/// their text kept; borrowed unchanged when nothing nests that deep (every real page).
///
/// A light scan, not a parser: it skips comments, declarations and raw-text elements,
/// reads quoted attributes, and counts the elements that must be closed explicitly. Where
/// it misjudges broken markup, the cost is only some tags beyond `max` levels, never text.
#[must_use]
pub fn cap_nesting(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    let mut depth = 0usize;
    let mut dropped: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let rest = &html[start..];
        // Comments and declarations (`<!DOCTYPE`, `<![CDATA[`, `<?xml`) are skipped whole.
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(html.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_from = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_from].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = html[name_from..name_from + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_from + name_len);
        let tag = start..end;
        i = end;
        let mut drop_tag = false;
        if closing {
            if let Some(n) = dropped.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                drop_tag = true;
            } else if !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if RAW_TEXT.contains(&name.as_str()) {
            // Its text runs to its own end tag, which closes it: nothing to count.
            let close = format!("</{name}");
            i = find_ascii_case_insensitive(html, end, &close)
                .map_or(html.len(), |c| tag_end(bytes, c + close.len()));
        } else if !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str()) {
            if depth >= max {
                *dropped.entry(name).or_insert(0) += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..tag.start]);
            copied = tag.end;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// One past the `>` ending the tag whose attributes start at `from`, reading quoted values
/// whole (a `>` inside one does not end the tag); the end of the text if it never ends.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return k + 1,
            // Inside a quoted value, or any other byte of the tag.
            _ => {}
        }
    }
    bytes.len()
}

/// Where `needle` (ASCII) next occurs in `hay` from byte `from`, in any case.
fn find_ascii_case_insensitive(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .get(from..)?
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| from + p)
}

/// [`readable_text`] of a page parsed already (opening a page also reads its tags: it is
/// parsed once for both).
#[must_use]
pub fn readable_text_of(doc: &Html) -> String {
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

/// Collects the text under `root` into paragraphs. Iterative (an explicit stack rather
/// than recursion): a hostile page nested hundreds of thousands of elements deep must not
/// overflow the thread's stack.
fn walk(root: ElementRef<'_>, paragraphs: &mut Vec<String>, current: &mut String) {
    // Work left: `Some(node)` to visit, `None` to close a block element. Children are
    // pushed in reverse so they are visited in document order.
    let mut stack: Vec<Option<_>> = root.children().rev().map(Some).collect();
    while let Some(step) = stack.pop() {
        let Some(node) = step else {
            flush(paragraphs, current);
            continue;
        };
        match node.value() {
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
                if BLOCK.contains(&name) {
                    flush(paragraphs, current);
                    stack.push(None);
                }
                stack.extend(node.children().rev().map(Some));
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

    /// A page nested 200,000 elements deep, read on a thread with a 256 KiB stack: only a
    /// walk without recursion gets through (the recursive one needed a frame per level).
    #[test]
    fn a_page_nested_200000_deep_does_not_overflow_the_stack() {
        const DEPTH: usize = 200_000;
        let mut html = String::with_capacity(DEPTH * 12 + 64);
        html.push_str("<html><body><article>");
        // Mostly inline elements, parsed without `cap_nesting` (this test is about the
        // walk): html5ever takes quadratic time on deeply nested blocks, each `<div>`
        // scanning the open elements. A block every 10,000 levels exercises that path.
        for i in 0..DEPTH {
            html.push_str(if i % 10_000 == 0 { "<div>" } else { "<span>" });
        }
        html.push_str("deep text");
        let text = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let doc = Html::parse_document(&html);
                let root = Selector::parse("article").ok().and_then(|sel| {
                    doc.select(&sel).next().map(|el| {
                        let mut paragraphs = Vec::new();
                        let mut current = String::new();
                        walk(el, &mut paragraphs, &mut current);
                        flush(&mut paragraphs, &mut current);
                        paragraphs.join("\n\n")
                    })
                });
                // The parsed tree is dropped here too, on the small stack.
                drop(doc);
                root
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(text.as_deref(), Some("deep text"));
    }

    #[test]
    fn nesting_is_capped_keeping_the_text_and_real_pages_are_untouched() {
        let page = "<!DOCTYPE html><html><head><title>T</title><script>if (a < b) { x = '<div>'; }</script>\
                    </head><body><article><h1>Toll rises</h1><!-- <div><div> -->\
                    <div class=\"a>b\"><p>More than 160 people<br>were killed.<p>Second<ul><li>one<li>two</ul>\
                    </div></article></body></html>";
        assert!(
            matches!(cap_nesting(page, 3), std::borrow::Cow::Borrowed(_)),
            "a real page is parsed as it is"
        );
        let deep = format!(
            "<html><body><article>{}<p>More than 160 people were killed.</p>{}<p>After.</p></article></body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let capped = cap_nesting(&deep, MAX_DEPTH);
        assert_eq!(
            capped.matches("<div>").count(),
            MAX_DEPTH - 1,
            "article and body count, and html is implied"
        );
        assert_eq!(
            capped.matches("<div>").count(),
            capped.matches("</div>").count()
        );
        assert_eq!(
            readable_text(&deep),
            "More than 160 people were killed.\n\nAfter.",
            "the text is all there, in its paragraphs"
        );
        // Quoted '>' and raw text do not fool the scan.
        let tricky = format!(
            "<body>{}<script>\"</div>\"</script><div title=\"x>y\">z</div>{}",
            "<section>".repeat(4),
            "</section>".repeat(4)
        );
        let c = cap_nesting(&tricky, 4);
        assert!(
            c.contains("<script>\"</div>\"</script>") && !c.contains("<div title"),
            "{c}"
        );
        assert!(c.contains(">z<"), "the text of a dropped tag stays: {c}");
    }
}
