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
    "tr", "optgroup", "rb", "rt", "rp", "rtc", "tbody", "thead", "tfoot", "colgroup", "html",
    "head", "body",
];

/// Start tags that close an open `<p>` (with what is open inside it), as a parser does.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "li",
    "dd",
    "dt",
    "table",
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

/// Elements that end the search of an end tag for its element: an end tag whose element
/// lies behind one of these closes nothing, as in a parser (`</div>` inside a table cell).
/// The HTML specification's default scope, lower-cased, with the integration points
/// ([`INTEGRATION`]), which are boundaries too.
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// The roots of foreign content (SVG, `MathML`), inside which `<x/>` closes itself and raw
/// text is no raw text.
const FOREIGN: &[&str] = &["svg", "math"];

/// Foreign elements whose content is HTML again (lower-cased).
const INTEGRATION: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
];

/// HTML start tags that end foreign content: the parser closes the SVG or `MathML` around
/// them first.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// An element the scan holds open: its name, whether it is SVG or `MathML`, and whether its
/// start tag was left out.
#[expect(
    clippy::struct_excessive_bools,
    reason = "four independent facts about one open element, read in a hot loop"
)]
struct Open {
    name: String,
    foreign: bool,
    dropped: bool,
    /// A special element (an end tag of another kind stops at it), set once at push.
    special: bool,
    /// A boundary of the default scope, set once at push.
    scope: bool,
}

/// Tables and their cells: what decides whether content is in a cell or moved out.
const TABLE_CONTEXTS: &[&str] = &["table", "td", "th", "caption"];

/// Parts of a table that close the cells and rows open inside it.
const TABLE_PARTS: &[&str] = &[
    "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th",
];

/// HTML's special elements (lower-cased; with the integration points, [`INTEGRATION`]): an
/// end tag of another kind (`</span>`) closes nothing behind one of them.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Formatting elements: their end tags close them where they are in scope (a parser's
/// adoption agency, roughly).
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// How far an end tag looks for its element among the open ones before it is taken for a
/// stray one (a parser ignores those): bounds the scan on pages built to defeat it.
const MAX_CLOSE_SCAN: usize = 1_024;

/// What the scan holds open, as a parser would.
#[derive(Default)]
struct Stack {
    open: Vec<Open>,
    /// How many of `open` were kept (the depth the parser sees).
    kept: usize,
    /// How many of each name are open, so that a stray end tag is known at once.
    count: std::collections::HashMap<String, usize>,
    /// Where the open tables and cells (`td`, `th`, `caption`) are in `open`.
    tables: Vec<usize>,
}

impl Stack {
    /// True when what comes next is read as SVG or `MathML` (inside a foreign element that
    /// is no integration point).
    fn in_foreign(&self) -> bool {
        self.open
            .last()
            .is_some_and(|o| o.foreign && !INTEGRATION.contains(&o.name.as_str()))
    }

    /// True when the innermost table is open with no cell inside it: text and elements
    /// there are moved before the table by a parser, so nothing may be left out.
    fn in_table_text(&self) -> bool {
        self.tables
            .last()
            .is_some_and(|&k| self.open[k].name == "table")
    }

    fn push(&mut self, name: String, foreign: bool, dropped: bool) {
        if !foreign && TABLE_CONTEXTS.contains(&name.as_str()) {
            self.tables.push(self.open.len());
        }
        *self.count.entry(name.clone()).or_insert(0) += 1;
        self.kept += usize::from(!dropped);
        let n = name.as_str();
        let (special, scope) = if foreign {
            (INTEGRATION.contains(&n), INTEGRATION.contains(&n))
        } else {
            (SPECIAL.contains(&n), SCOPE.contains(&n))
        };
        self.open.push(Open {
            name,
            foreign,
            dropped,
            special,
            scope,
        });
    }

    /// Pops every element from `k` up; the kept ones, innermost first.
    fn truncate(&mut self, k: usize) -> Vec<Open> {
        while self.tables.last().is_some_and(|&t| t >= k) {
            self.tables.pop();
        }
        let gone: Vec<Open> = self.open.drain(k..).rev().collect();
        for o in &gone {
            if let Some(c) = self.count.get_mut(&o.name) {
                *c = c.saturating_sub(1);
            }
            self.kept -= usize::from(!o.dropped);
        }
        gone
    }

    /// True when an element named `name` is open (a count, not a search).
    fn is_open(&self, name: &str) -> bool {
        self.count.get(name).is_some_and(|c| *c > 0)
    }

    /// What a parser closes before it opens `n`: an open `<p>` before a block, the open
    /// `<li>` before another, `<dd>`/`<dt>` likewise, an `<option>` before an option, an
    /// `<a>` before another link.
    fn implied_closes(&mut self, n: &str) {
        let button_scope = |o: &Open| o.scope || (!o.foreign && o.name == "button");
        if CLOSES_P.contains(&n)
            && self.is_open("p")
            && let Some(k) = self.find_within(|o| !o.foreign && o.name == "p", button_scope)
        {
            self.truncate(k);
        }
        // A list item closes the one open in its list, up to a special element other than
        // `address`, `div` and `p`.
        let item_boundary =
            |o: &Open| o.special && !matches!(o.name.as_str(), "address" | "div" | "p");
        let items: &[&str] = match n {
            "li" => &["li"],
            "dd" | "dt" => &["dd", "dt"],
            _ => &[],
        };
        if items.iter().any(|i| self.is_open(i))
            && let Some(k) = self.find_within(
                |o| !o.foreign && items.contains(&o.name.as_str()),
                item_boundary,
            )
        {
            self.truncate(k);
        }
        if n == "option" && self.open.last().is_some_and(|o| o.name == "option") {
            self.truncate(self.open.len() - 1);
        }
        if n == "a"
            && let Some(k) = self.find("a")
        {
            self.truncate(k);
        }
    }

    /// Where the innermost open `name` is, if an end tag for it closes it (none when it is
    /// not open, lies behind a scope boundary, or too far down).
    fn find(&self, name: &str) -> Option<usize> {
        if self.count.get(name).is_none_or(|c| *c == 0) {
            return None;
        }
        // A special or formatting element's end tag closes it where it is in scope (a
        // table's only behind another table, a template or the root); any other closes
        // nothing behind a special element.
        let is_boundary: fn(&Open) -> bool = if name == "table" {
            |o| !o.foreign && matches!(o.name.as_str(), "html" | "table" | "template")
        } else if SPECIAL.contains(&name) || FORMATTING.contains(&name) {
            |o| o.scope
        } else {
            |o| o.special
        };
        self.find_within(|o| o.name == name, is_boundary)
    }

    /// Where the innermost open element that `is` is, searching down from the top and
    /// stopping at a `boundary` (and after [`MAX_CLOSE_SCAN`] elements).
    fn find_within(
        &self,
        is: impl Fn(&Open) -> bool,
        boundary: impl Fn(&Open) -> bool,
    ) -> Option<usize> {
        for (depth, k) in (0..self.open.len()).rev().enumerate() {
            let o = &self.open[k];
            if is(o) {
                return Some(k);
            }
            if depth >= MAX_CLOSE_SCAN || boundary(o) {
                return None;
            }
        }
        None
    }
}

/// `html` with the start tags of elements nested more than `max` deep left out (each
/// replaced by an empty comment), their text kept; borrowed unchanged when nothing nests
/// that deep (every real page).
///
/// A light scan, not a parser, that follows what a parser keeps open: it skips comments,
/// declarations and raw-text elements, reads attribute values as the tokenizer does (quoted
/// only after `=`), follows SVG and `MathML` (where `<x/>` closes itself and an HTML block
/// ends them), leaves out elements whose end tag is optional, and closes an element with
/// everything opened inside it, up to a scope boundary (a table, an object, an
/// integration point). An end tag whose start was left out is left out too, with end tags
/// for the kept elements it would have closed in its place. It never leaves out a tag that
/// changes how what follows is read (an SVG or `MathML` root in HTML, an integration point,
/// an HTML block that ends SVG). Where it misjudges broken markup, the cost is only some
/// tags beyond `max` levels, never text.
#[must_use]
pub fn cap_nesting(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    let mut stack = Stack::default();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let rest = &html[start..];
        // Comments and declarations (`<!DOCTYPE`, `<![CDATA[`, `<?xml`) are skipped whole.
        if let Some(comment) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` are whole (empty) comments too.
            let abrupt = [">", "->"].iter().find(|e| comment.starts_with(**e));
            i = match abrupt {
                Some(e) => start + 4 + e.len(),
                None => comment
                    .find("-->")
                    .map_or(html.len(), |e| start + 4 + e + 3),
            };
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(html.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_from = start + if closing { 2 } else { 1 };
        // A tag name runs to a space, `/` or `>`, as the tokenizer reads it (`<s<div>` is
        // one element, named `s<div`).
        // Checked first: measuring the name of every `<` in a run of them would read the
        // run again for each.
        if !bytes.get(name_from).is_some_and(u8::is_ascii_alphabetic) {
            i = if closing {
                // `</` and no letter: a comment of sorts, to the next `>`.
                rest.find('>').map_or(html.len(), |e| start + e + 1)
            } else {
                start + 1
            };
            continue;
        }
        let name_len = bytes[name_from..]
            .iter()
            .take_while(|b| !b.is_ascii_whitespace() && **b != b'/' && **b != b'>')
            .count();
        let name = html[name_from..name_from + name_len].to_ascii_lowercase();
        let n = name.as_str();
        let (end, self_closing) = tag_end(bytes, name_from + name_len);
        i = end;
        // What goes in the tag's place when it is left out.
        let mut replacement: Option<String> = None;
        if closing {
            if let Some(k) = stack.find(n) {
                let dropped = stack.open[k].dropped;
                let gone = stack.truncate(k);
                if dropped {
                    // Its start was left out: close what it would have closed, itself not.
                    let mut r = String::from("<!---->");
                    for o in gone.iter().filter(|o| !o.dropped) {
                        r.push_str("</");
                        r.push_str(&o.name);
                        r.push('>');
                    }
                    replacement = Some(r);
                }
            }
        } else {
            // An HTML block in SVG or `MathML` ends them; never left out, or what follows
            // would be read as SVG.
            let breaks_out = stack.in_foreign() && BREAKOUT.contains(&n);
            if breaks_out {
                while stack.in_foreign() {
                    stack.truncate(stack.open.len() - 1);
                }
            }
            let from_html = !stack.in_foreign();
            let foreign = !from_html || FOREIGN.contains(&n);
            if from_html {
                stack.implied_closes(n);
            }
            // A row or cell closes what was open inside its table before it; outside a
            // table, a parser ignores it.
            let table_part = from_html && TABLE_PARTS.contains(&n);
            let table = stack
                .tables
                .iter()
                .rev()
                .find(|&&t| stack.open[t].name == "table")
                .copied();
            if table_part && let Some(t) = table {
                stack.truncate(t + 1);
            }
            if from_html && RAW_TEXT.contains(&n) {
                // Its text runs to its own end tag, which closes it: nothing to count.
                let close = format!("</{name}");
                let at = find_ascii_case_insensitive(html, end, &close);
                // A script holding `<!--` may not end at its first `</script>` (the
                // tokenizer's escaped states), which this scan does not follow: the page is
                // left as it is.
                if n == "script" && html[end..at.unwrap_or(html.len())].contains("<!--") {
                    return std::borrow::Cow::Borrowed(html);
                }
                i = at.map_or(html.len(), |c| tag_end(bytes, c + close.len()).0);
            } else if (!foreign && (VOID.contains(&n) || OPTIONAL_END.contains(&n)))
                || (foreign && self_closing)
                || (table_part && table.is_none())
            {
                // Nothing stays open.
            } else {
                // Kept below the cap, and always where leaving the tag out would change
                // how what follows is read: an HTML block that ends SVG, an SVG or MathML
                // root in HTML, an integration point, and tables and cells (in a table
                // outside its cells, a parser moves things out of it).
                let keep = stack.kept < max
                    || breaks_out
                    || (from_html && FOREIGN.contains(&n))
                    || INTEGRATION.contains(&n)
                    || TABLE_CONTEXTS.contains(&n)
                    || stack.in_table_text();
                let drop = !keep;
                if drop {
                    replacement = Some("<!---->".to_owned());
                }
                stack.push(name, foreign, drop);
            }
        }
        if let Some(r) = replacement {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..start]);
            // A comment in the tag's place, not nothing: the text on either side must not
            // join into markup or a character reference ("<" + "a", "&am" + "p;").
            o.push_str(&r);
            copied = end;
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

/// One past the `>` ending the tag whose attributes start at `from`, and whether it ends
/// `/>`; the end of the text if it never ends. Attribute values are read as the tokenizer
/// reads them: quoted only right after `=` (in `title=it's` the `'` is a letter), a `>`
/// inside quotes does not end the tag, and a `/` inside an unquoted value (`a=b/>`) does
/// not close it.
fn tag_end(bytes: &[u8], from: usize) -> (usize, bool) {
    /// Where the tokenizer is inside the tag.
    enum At {
        Names,
        BeforeValue,
        Quoted(u8),
        Unquoted,
    }
    let mut at = At::Names;
    let mut slash = false;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match at {
            At::Quoted(q) => {
                if b == q {
                    at = At::Names;
                }
            }
            At::Unquoted | At::BeforeValue if b == b'>' => return (k + 1, false),
            At::Unquoted => {
                if b.is_ascii_whitespace() {
                    at = At::Names;
                }
            }
            At::BeforeValue => {
                if b == b'"' || b == b'\'' {
                    at = At::Quoted(b);
                } else if !b.is_ascii_whitespace() {
                    at = At::Unquoted;
                }
            }
            At::Names => {
                if b == b'>' {
                    return (k + 1, slash);
                }
                if b == b'=' {
                    at = At::BeforeValue;
                }
                slash = b == b'/';
                continue;
            }
        }
        slash = false;
    }
    (bytes.len(), false)
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
        // Four levels under the body (article, div, ul, li): a cap of four leaves it be.
        assert!(
            matches!(cap_nesting(page, 4), std::borrow::Cow::Borrowed(_)),
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

    #[test]
    fn what_a_parser_closes_is_closed_and_values_are_quoted_only_after_equals() {
        // An icon sprite of self-closing SVG shapes, unclosed spans closed by their div,
        // and an apostrophe in an unquoted value: nothing here nests deep.
        let sprite =
            "<symbol><path d='M0 0'/><path d=\"M1 1\"/><circle r=2 /></symbol>".repeat(300);
        let spans = "<div><span><b>x</div>".repeat(600);
        let apostrophes = "<div title=it's>it's</div>".repeat(600);
        // Elements a parser closes for the page (review): paragraphs, list items,
        // definitions and links left open.
        let implied = [
            "<p><span>x</p>",
            "<li><div>x</li>",
            "<p><a href=x>x</p>",
            "<dt>a<dd><div>x</dd>",
            "<a href=1>x",
            "<p><span class=c>x<p>y",
        ]
        .concat()
        .repeat(600);
        for page in [
            format!(
                "<body><svg style=\"display:none\">{sprite}</svg><article><h1>T</h1><p>Text.</p></article></body>"
            ),
            format!("<body>{spans}<p>After.</p></body>"),
            format!("<body>{apostrophes}<p>After.</p></body>"),
            format!("<body><ul>{implied}</ul><time datetime=\"2025-03-16\">16 March</time></body>"),
        ] {
            assert!(
                matches!(cap_nesting(&page, MAX_DEPTH), std::borrow::Cow::Borrowed(_)),
                "taken for deep: {}",
                &page[..200]
            );
        }
        // Deep, with an apostrophe in an unquoted value: the text stays.
        let deep = format!(
            "<body>{}<span title=it's>Officials said it's 160 dead.</span> After.</body>",
            "<div>".repeat(600)
        );
        let capped = cap_nesting(&deep, MAX_DEPTH);
        assert!(
            capped.contains("Officials said it's 160 dead."),
            "{}",
            &capped[capped.len() - 200..]
        );
        // Tables nested in cells nest for real, and are capped inside their cells; the
        // text stays where it was.
        let tables = format!(
            "<body>{}Deep text.{}</body>",
            "<div><table><tr><td>".repeat(300),
            "</td></tr></table></div>".repeat(300)
        );
        let capped = cap_nesting(&tables, MAX_DEPTH);
        assert!(matches!(capped, std::borrow::Cow::Owned(_)));
        assert_eq!(readable_text(&capped), "Deep text.");
    }

    /// Well-formed pages of blocks, inline elements, tables, SVG icons and scripts, with
    /// text and attributes that hold quotes and `>`.
    fn page() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let text = "[a-z ,.'&<>]{0,6}".prop_map(|t| t.replace('<', "&lt;"));
        let leaf = prop_oneof![
            text,
            Just("<br>".to_owned()),
            Just("<svg><path d='M0 0'/><circle r=2 /></svg>".to_owned()),
            Just("<script>if (a < b) { c = '<div>'; }</script>".to_owned()),
        ];
        leaf.prop_recursive(8, 64, 4, |inner| {
            (
                prop::sample::select(vec!["div", "section", "span", "b", "em", "p", "table"]),
                prop::sample::select(vec!["", " title=it's", " class=\"a>b\"", " a='x/'"]),
                prop::collection::vec(inner, 0..4),
            )
                .prop_map(|(tag, attr, children)| {
                    let inside = children.concat();
                    if tag == "table" {
                        format!("<table{attr}><tr><td>{inside}</td></tr></table>")
                    } else {
                        format!("<{tag}{attr}>{inside}</{tag}>")
                    }
                })
        })
    }

    /// Every char of the text a parser finds but spaces (which it may drop where a comment
    /// stands in a left-out tag's place), in order.
    fn parsed_text(page: &str) -> String {
        Html::parse_document(page)
            .root_element()
            .text()
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The depth cap leaves out tags, never text: a parser finds the same text in the
        /// same order in the capped page, however low the cap.
        #[test]
        fn capping_html_nesting_keeps_every_word(body in page(), max in 0usize..4) {
            let t = format!("<html><body>{body}</body></html>");
            let capped = cap_nesting(&t, max);
            proptest::prop_assert_eq!(parsed_text(&capped), parsed_text(&t), "{:?} -> {:?}", t, capped);
        }

        /// On any tag soup the scan never panics, and a cap that is not reached gives the
        /// page back as it is.
        #[test]
        fn capping_tag_soup_never_panics(
            t in "(<(div|section|span|b|svg|path|br|script|table|tr|td|/div|/section|/span|/svg|/script|/table|!--)( a=\"[<>x']\"| a=it's)?/?>|[a-z <>\"'/!-]|é|ж|🙂){0,60}",
            max in 0usize..4,
        ) {
            let _ = readable_text_of(&Html::parse_document(&cap_nesting(&t, max)));
            let uncapped = cap_nesting(&t, usize::MAX);
            proptest::prop_assert_eq!(uncapped.as_ref(), t.as_str());
        }
    }
}
