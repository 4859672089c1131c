//! The review report: the article with its highlights, the comparison of figures, and the
//! lists of quotes and claims, as one self-contained HTML file (no scripts, no network) or as
//! Markdown.

use std::fmt::Write as _;

use crate::annotation::{Annotation, Attributes, Kind, format_number};
use crate::compare::{Comparison, Source, compare};
use crate::document::Document;
use crate::metrics::Taxonomy;
use crate::text::sha256_hex;

/// Said under a family's conflicts when more pairs conflict than are listed.
const MORE_CONFLICTS: &str = "More pairs conflict; those with the widest gaps are listed.";
const MORE_CONFLICTS_HTML: &str = "<li class=\"conflict-more\">More pairs conflict; those with the widest gaps are listed.</li>\n";

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn comparison(doc: &Document) -> Comparison {
    compare(
        &[Source {
            title: doc.meta.title.clone(),
            doc,
        }],
        &Taxonomy::builtin(),
    )
}

/// The counts per kind (`18 claim, 20 quote, 13 figure`) and where the article came from.
fn facts(doc: &Document) -> (String, &str) {
    let counts: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{} {}", doc.count(*k), k.label().to_lowercase()))
        .collect();
    let source = doc
        .meta
        .source
        .as_deref()
        .or(doc.meta.url.as_deref())
        .unwrap_or("—");
    (counts.join(", "), source)
}

/// Short tag of an annotation: `F12`, `Q3`, `C7`.
fn tag(a: &Annotation) -> String {
    let letter = match a.kind() {
        Kind::Claim => 'C',
        Kind::Quote => 'Q',
        Kind::Figure => 'F',
    };
    format!("{letter}{}", a.id)
}

/// The article cut at every annotation boundary and line break: `(start, end, covering)`,
/// the covering annotations in document order. A sweep: the annotations open at each cut
/// are kept as the cuts advance, where filtering all of them for every piece made a 5 MB
/// report quadratic.
fn segments(doc: &Document) -> Vec<(usize, usize, Vec<&Annotation>)> {
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for a in doc.annotations() {
        cuts.push(a.span.start);
        cuts.push(a.span.end);
    }
    for (i, c) in text.iter().enumerate() {
        if *c == '\n' {
            cuts.push(i);
            cuts.push(i + 1);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let all = doc.annotations();
    let mut by_start: Vec<usize> = (0..all.len()).collect();
    by_start.sort_by_key(|&i| (all[i].span.start, i));
    let mut next = 0;
    // Indices (document order) of the annotations that start at or before the current cut
    // and end after it; no cut lies inside a piece, so they cover the whole piece.
    let mut open: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for w in cuts.windows(2).filter(|w| w[0] < w[1]) {
        while next < by_start.len() && all[by_start[next]].span.start <= w[0] {
            let i = by_start[next];
            let at = open.partition_point(|&o| o < i);
            open.insert(at, i);
            next += 1;
        }
        open.retain(|&i| all[i].span.end > w[0]);
        let covering = open
            .iter()
            .map(|&i| all[i].as_ref())
            .filter(|a| w[1] <= a.span.end)
            .collect();
        out.push((w[0], w[1], covering));
    }
    out
}

/// The annotations starting (or ending) at each offset, in document order: looked up for
/// every piece of the article.
fn by_offset(doc: &Document, end: bool) -> std::collections::HashMap<usize, Vec<&Annotation>> {
    let mut map: std::collections::HashMap<usize, Vec<&Annotation>> =
        std::collections::HashMap::new();
    for a in doc.annotations() {
        let at = if end { a.span.end } else { a.span.start };
        map.entry(at).or_default().push(a);
    }
    map
}

const STYLE: &str = r#"
body { font: 16px/1.6 Georgia, "Times New Roman", serif; color: #222; background: #fbfaf7;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
.meta, .legend { font: 13px system-ui, sans-serif; color: #666; }
article p { margin: 0 0 0.9em; }
mark { background: none; color: inherit; padding: 0 1px; }
mark.claim { border-bottom: 2px solid #7b61c9; }
mark.quote { background: rgba(46, 160, 110, 0.16); }
mark.figure { background: rgba(230, 140, 40, 0.30); border-radius: 2px; }
mark.claim.quote { box-shadow: inset 0 -2px 0 #7b61c9; }
.k { font: 11px system-ui, sans-serif; font-weight: 600; padding: 0 3px; border-radius: 3px; }
.k.claim { color: #7b61c9; } .k.quote { color: #2e8b62; } .k.figure { color: #c46a12; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em;
        font: 14px/1.4 system-ui, sans-serif; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0ede6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.conflict { color: #b3261e; font-weight: 600; }
.ok { color: #2e7d32; }
.context { color: #666; }
"#;

/// The report as one self-contained HTML page.
#[must_use]
pub fn to_html(doc: &Document) -> String {
    let mut h = String::new();
    let title = html_escape(&doc.meta.title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Tallymark\">\n<title>Review: {title}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let (counts, source) = facts(doc);
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} annotations ({counts}) · source {} · {} chars · SHA-256 {}</p>",
        doc.annotations().len(),
        html_escape(source),
        doc.text().len_chars(),
        sha256_hex(doc.text().as_str())
    );
    let _ = writeln!(
        h,
        "<p class=\"legend\"><mark class=\"claim\">claim</mark> · <mark class=\"quote\">quote</mark> · \
         <mark class=\"figure\">figure</mark> — tags like <span class=\"k figure\">F12</span> follow each \
         annotation and match the tables below.</p>"
    );

    // The article.
    h.push_str("<h2>Article</h2>\n<article id=\"article\">\n<p>");
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut para_empty = true;
    let (starting, ending) = (by_offset(doc, false), by_offset(doc, true));
    for (s, e, covering) in segments(doc) {
        if text[s] == '\n' {
            if !para_empty {
                h.push_str("</p>\n<p>");
                para_empty = true;
            }
            continue;
        }
        let piece: String = text[s..e].iter().collect();
        para_empty = false;
        // Anchors where annotations start.
        for a in starting.get(&s).into_iter().flatten() {
            let _ = write!(h, "<a id=\"{}\"></a>", tag(a));
        }
        if covering.is_empty() {
            h.push_str(&html_escape(&piece));
        } else {
            let mut kinds: Vec<&str> = covering.iter().map(|a| a.kind().key()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let tip: Vec<String> = covering
                .iter()
                .map(|a| format!("{} {}: {}", tag(a), a.kind().label(), a.summary()))
                .collect();
            let _ = write!(
                h,
                "<mark class=\"{}\" title=\"{}\">{}</mark>",
                kinds.join(" "),
                html_escape(&tip.join("\n")),
                html_escape(&piece)
            );
        }
        for a in ending.get(&e).into_iter().flatten() {
            let _ = write!(h, "<sup class=\"k {}\">{}</sup>", a.kind().key(), tag(a));
        }
    }
    h.push_str("</p>\n</article>\n");

    // The comparison.
    let c = comparison(doc);
    h.push_str("<h2>Figures compared</h2>\n<section id=\"comparison\">\n");
    if c.families.is_empty() {
        h.push_str("<p>No figures.</p>\n");
    }
    for fam in &c.families {
        let (range, spread) = (fam.range_text(), fam.spread_text());
        let flag = if fam.conflict {
            "<span class=\"conflict\">conflict</span>"
        } else if fam.metric == "other" {
            ""
        } else {
            "<span class=\"ok\">consistent</span>"
        };
        let _ = writeln!(
            h,
            "<h3>{} <span class=\"meta\">{range}{spread}</span> {flag}</h3>",
            html_escape(&fam.label)
        );
        h.push_str(
            "<table class=\"family\">\n<tr><th>Value</th><th>Qualifier</th><th>Who</th>\
                    <th>Source</th><th>Reported</th><th>In context</th></tr>\n",
        );
        for (i, f) in fam.figures.iter().enumerate() {
            let in_conflict = fam.conflicts.iter().any(|k| k.a == i || k.b == i);
            let value = f.value_text();
            let _ = writeln!(
                h,
                "<tr><td class=\"num\"><a href=\"#F{}\">{value}</a>{}{}</td><td>{}</td><td>{}</td>\
                 <td>{}</td><td>{}</td><td class=\"context\">{}</td></tr>",
                f.id,
                if in_conflict {
                    " <span class=\"conflict\">⚑</span>"
                } else {
                    ""
                },
                if f.subtotal {
                    " <small>subtotal</small>"
                } else {
                    ""
                },
                html_escape(f.describe_qualifier()),
                html_escape(or_dash(&f.who)),
                html_escape(or_dash(&f.source)),
                html_escape(f.reported.as_deref().unwrap_or("—")),
                html_escape(&f.context),
            );
        }
        h.push_str("</table>\n");
        if !fam.conflicts.is_empty() {
            h.push_str("<ul class=\"conflicts\">\n");
            for k in &fam.conflicts {
                let _ = writeln!(
                    h,
                    "<li class=\"conflict-reason\">{}</li>",
                    html_escape(&k.reason)
                );
            }
            if fam.more_conflicts {
                h.push_str(MORE_CONFLICTS_HTML);
            }
            h.push_str("</ul>\n");
        }
    }
    h.push_str("</section>\n");

    // Quotes and claims.
    h.push_str("<h2>Quotes</h2>\n<table id=\"quotes\">\n<tr><th></th><th>Speaker</th><th>Quote</th><th>Note</th></tr>\n");
    for a in doc.annotations().iter().filter(|a| a.kind() == Kind::Quote) {
        let speaker = match &a.attributes {
            Attributes::Quote(q) => q.speaker.as_str(),
            _ => "",
        };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{t}\">{t}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html_escape(or_dash(speaker)),
            html_escape(&a.exact),
            html_escape(&a.note),
            t = tag(a)
        );
    }
    h.push_str("</table>\n<h2>Claims</h2>\n<table id=\"claims\">\n<tr><th></th><th>Claimant</th><th>Status</th><th>Claim</th><th>Note</th></tr>\n");
    for a in doc.annotations().iter().filter(|a| a.kind() == Kind::Claim) {
        let (claimant, status) = match &a.attributes {
            Attributes::Claim(c) => (c.claimant.as_str(), c.status.label()),
            _ => ("", ""),
        };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{t}\">{t}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html_escape(or_dash(claimant)),
            html_escape(status),
            html_escape(&a.exact),
            html_escape(&a.note),
            t = tag(a)
        );
    }
    h.push_str("</table>\n<p class=\"meta\">Made with Tallymark.</p>\n</body>\n</html>\n");
    h
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

/// Escapes text for a Markdown table cell or paragraph.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            // Any line break (CR, VT, FF, NEL, U+2028…) or other control character would
            // end a table row or a heading early: a cell stays on its line.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The report as Markdown: highlights are bold with a tag (`**more than 10,000**<sup>F12</sup>`).
#[must_use]
pub fn to_markdown(doc: &Document) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# Review: {}\n", md_escape(&doc.meta.title));
    let (counts, source) = facts(doc);
    let _ = writeln!(
        m,
        "{} annotations ({counts}); source {}; {} chars; SHA-256 `{}`.\n",
        doc.annotations().len(),
        md_escape(source),
        doc.text().len_chars(),
        sha256_hex(doc.text().as_str())
    );
    m.push_str("## Article\n\n");
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut line = String::new();
    let ending = by_offset(doc, true);
    for (s, e, covering) in segments(doc) {
        if text[s] == '\n' {
            if !line.trim().is_empty() {
                m.push_str(line.trim_end());
                m.push_str("\n\n");
            }
            line.clear();
            continue;
        }
        let piece: String = text[s..e].iter().collect();
        if covering.is_empty() {
            line.push_str(&md_escape(&piece));
        } else {
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            line.push_str(&piece[..lead]);
            let _ = write!(line, "**{}**", md_escape(piece.trim()));
            line.push_str(&piece[piece.len() - trail..]);
        }
        for a in ending.get(&e).into_iter().flatten() {
            let _ = write!(line, "<sup>{}</sup>", tag(a));
        }
    }
    if !line.trim().is_empty() {
        m.push_str(line.trim_end());
        m.push_str("\n\n");
    }
    m.push_str("## Figures compared\n\n");
    for fam in &comparison(doc).families {
        let flag = if fam.conflict {
            " — **conflict**"
        } else {
            ""
        };
        let _ = writeln!(m, "### {}{flag}\n", md_escape(&fam.label));
        m.push_str(
            "| Value | Qualifier | Who | Source | Reported | Tag |\n|---:|---|---|---|---|---|\n",
        );
        for f in &fam.figures {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} | F{} |",
                f.value_low.map(format_number).unwrap_or_default(),
                f.describe_qualifier(),
                md_escape(or_dash(&f.who)),
                md_escape(or_dash(&f.source)),
                f.reported.as_deref().unwrap_or("—"),
                f.id
            );
        }
        m.push('\n');
        for k in &fam.conflicts {
            let _ = writeln!(m, "- {}", md_escape(&k.reason));
        }
        if fam.more_conflicts {
            let _ = writeln!(m, "- {MORE_CONFLICTS}");
        }
        if !fam.conflicts.is_empty() {
            m.push('\n');
        }
    }
    m.push_str("## Quotes\n\n| Tag | Speaker | Quote |\n|---|---|---|\n");
    for a in doc.annotations().iter().filter(|a| a.kind() == Kind::Quote) {
        let speaker = match &a.attributes {
            Attributes::Quote(q) => q.speaker.as_str(),
            _ => "",
        };
        let _ = writeln!(
            m,
            "| {} | {} | {} |",
            tag(a),
            md_escape(or_dash(speaker)),
            md_escape(&a.exact)
        );
    }
    m.push_str("\n## Claims\n\n| Tag | Claimant | Status | Claim |\n|---|---|---|---|\n");
    for a in doc.annotations().iter().filter(|a| a.kind() == Kind::Claim) {
        let (claimant, status) = match &a.attributes {
            Attributes::Claim(c) => (c.claimant.as_str(), c.status.label()),
            _ => ("", ""),
        };
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            tag(a),
            md_escape(or_dash(claimant)),
            status,
            md_escape(&a.exact)
        );
    }
    m
}
