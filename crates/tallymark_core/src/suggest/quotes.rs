//! Quotes: the text inside quotation marks (and dash-introduced speech), with its speaker.

use super::{
    People, QuoteSuggestion, SAY, Span, Tok, TokKind, attribution_in, class, sentence_start,
    text_of,
};

pub(super) fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '"' | '„' | '«')
}

pub(super) fn is_close_mark(c: char) -> bool {
    matches!(c, '”' | '"' | '»')
}

/// Finds the quotes of every paragraph (line) and their speakers.
pub(super) fn find_quotes(chars: &[char], tokens: &[Tok], people: &People) -> Vec<QuoteSuggestion> {
    let mut spans: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, closed)
    // Where each line starts, for finding a quote's line by search rather than by walking
    // back through a line that may be megabytes long.
    let mut line_starts: Vec<usize> = Vec::new();
    let mut line_start = 0;
    while line_start < chars.len() {
        line_starts.push(line_start);
        let line_end = chars[line_start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| line_start + p);
        let before = spans.len();
        quotes_in_line(chars, line_start, line_end, &mut spans);
        // Names in guillemets are no quotes, and a line of dash speech that mentions one
        // ("— Мы из «Тёплого угла», — сказала она") is still speech.
        let found: Vec<_> = spans
            .drain(before..)
            .filter(|&(start, end, _)| !is_guillemet_name(chars, start, end))
            .collect();
        spans.extend(found);
        if spans.len() == before {
            dash_speech(chars, line_start, line_end, &mut spans);
        }
        line_start = line_end + 1;
    }
    let mut out: Vec<QuoteSuggestion> = Vec::with_capacity(spans.len());
    let mut last_speaker = String::new();
    let mut prev_unclosed_line: Option<usize> = None;
    for (start, end, closed) in spans {
        let line = line_starts[line_starts
            .partition_point(|&l| l <= start)
            .saturating_sub(1)];
        let continues = prev_unclosed_line.is_some_and(|l| l < line) && starts_line(chars, start);
        let speaker = quote_speaker(chars, tokens, people, start, end)
            .or_else(|| continues.then(|| last_speaker.clone()))
            .unwrap_or_else(|| last_speaker.clone());
        if !speaker.is_empty() {
            last_speaker.clone_from(&speaker);
        }
        prev_unclosed_line = (!closed).then_some(line);
        out.push(QuoteSuggestion {
            span: Span::between(start, end),
            exact: text_of(chars, start, end),
            speaker,
        });
    }
    out
}

/// Direct speech introduced by a dash, as Russian, Ukrainian and Kazakh print dialogue:
/// `— Мы ушли ночью, — рассказала Зарина. — Наш дом сожгли.` Each spoken segment is a
/// quote; a segment cut by an attribution (`, — сказала …`) ends before its comma, one that
/// runs to the end of the paragraph keeps its full stop.
pub(super) fn dash_speech(
    chars: &[char],
    from: usize,
    to: usize,
    out: &mut Vec<(usize, usize, bool)>,
) {
    let is_dash = |c: char| matches!(c, '—' | '–');
    let mut i = from;
    while i < to && chars[i].is_whitespace() {
        i += 1;
    }
    if !(i + 1 < to && is_dash(chars[i]) && chars[i + 1].is_whitespace()) {
        return;
    }
    // These languages start the items of a list with a dash too: a line that ends in `;`
    // or `,`, or follows one that ends in `;`, is an item ("– у трамваї перебували 60
    // пасажирів;"), not speech. (Dialogue after "Он сказал:" stays speech.)
    let last_visible = |upto: usize| chars[..upto].iter().rev().find(|c| !c.is_whitespace());
    if matches!(last_visible(to), Some(';' | ',')) || matches!(last_visible(from), Some(';')) {
        return;
    }
    let mut seg = i + 2;
    while seg < to {
        // The next " — " followed by a lower-case word is an attribution.
        let mut k = seg;
        let mut cut = None;
        while k + 3 < to {
            if chars[k].is_whitespace()
                && is_dash(chars[k + 1])
                && chars[k + 2].is_whitespace()
                && chars[k + 3].is_lowercase()
                && k > seg
                && matches!(chars[k - 1], ',' | '!' | '?' | '…')
            {
                cut = Some(k);
                break;
            }
            k += 1;
        }
        let Some(cut) = cut else {
            push_quote(chars, seg, to, true, out);
            return;
        };
        let end = if chars[cut - 1] == ',' { cut - 1 } else { cut };
        push_quote(chars, seg, end, true, out);
        // After the attribution: ". — " and a capital letter open the next segment.
        let mut j = cut + 3;
        let mut next = None;
        while j + 3 < to {
            if chars[j] == '.'
                && chars[j + 1].is_whitespace()
                && is_dash(chars[j + 2])
                && chars[j + 3].is_whitespace()
            {
                next = Some(j + 4);
                break;
            }
            j += 1;
        }
        match next {
            Some(n) => seg = n,
            None => return,
        }
    }
}

/// A name in guillemets (`«Глубокая»`, `компания «Степь-Тур»`, `«Канал 31»`), which these
/// languages print where English uses capitals, is no quote: a few capitalised words with
/// no sentence punctuation, not introduced as words written or shouted (`с надписью`,
/// `скандировали`, a colon, the start of a sentence) and not followed by an attribution.
pub(super) fn is_guillemet_name(chars: &[char], start: usize, end: usize) -> bool {
    /// Kinds of thing a name names, after it.
    const KINDS: &[&str] = &[
        "ұйым",
        "қозғалыс",
        "компания",
        "серіктестік",
        "жшс",
        "қор",
        "партия",
        "орталық",
        "агенттік",
        "арна",
        "телеарна",
        "кәсіпорн",
        "зауыт",
        "шахта",
    ];
    /// Words before a quote that say it was written or shouted, not named.
    const WRITTEN: &[&str] = &[
        "надпис",
        "написа",
        "табличк",
        "записк",
        "скандир",
        "кричал",
        "лозунг",
        "плакат",
        "баннер",
        "транспарант",
        "ұран",
        "жазыл",
        "жазу",
        "назвал",
        "словами",
        "фраз",
        "напис",
        "скандува",
        "гасл",
        "вигукува",
    ];
    let Some(open) = start.checked_sub(1) else {
        return false;
    };
    if !matches!(chars[open], '«' | '„') {
        return false;
    }
    let inner = &chars[start..end];
    let words = inner
        .split(|c| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .count();
    if words > 4
        || !inner[0].is_uppercase() && !inner[0].is_ascii_digit()
        || inner
            .iter()
            .any(|c| matches!(c, '.' | ',' | '!' | '?' | ':' | ';' | '…'))
    {
        return false;
    }
    // What follows the closing mark: an attribution makes it speech.
    let after: String = chars[(end + 1).min(chars.len())..(end + 40).min(chars.len())]
        .iter()
        .collect();
    let after = after.trim_start();
    if after.starts_with(", —")
        || after.starts_with(", –")
        || after.starts_with("деп")
        || after.starts_with("— ")
    {
        return false;
    }
    // A name followed by the kind of thing it names, perhaps past one word that says what
    // kind: "«Жаңа дауыс» қозғалысының", "«Әділ сот» қоғамдық қоры".
    let lower = after.to_lowercase();
    let mut next_words = lower.split_whitespace().take(2);
    if next_words.any(|w| KINDS.iter().any(|k| w.starts_with(k))) {
        return true;
    }
    // What precedes the opening mark.
    let mut p = open;
    while p > 0 && chars[p - 1] == ' ' {
        p -= 1;
    }
    // After a colon: speech ("ответил коротко: «Нет» и покинул зал").
    if p > 0 && chars[p - 1] == ':' {
        return false;
    }
    if p == 0 || matches!(chars[p - 1], '.' | '\n' | '!' | '?') {
        // At the start of a sentence a word or two that the sentence goes on from in lower
        // case, with no verb of speaking or writing, is its subject, a name: "«Глубокая»
        // уже становилась местом аварии", "«Малиновский вестник» следит за событиями".
        const SAID: &[&str] = &[
            "скандир",
            "скандува",
            "крича",
            "крикну",
            "кричат",
            "вигуку",
            "вигукну",
            "повторя",
            "сказа",
            "заяв",
            "ответ",
            "відпов",
            "говор",
            "сообщ",
            "звуча",
            "прозвуча",
            "пролуна",
            "деп",
            "деді",
            "дейді",
            "айқайла",
            "каже",
            "казал",
            "написа",
            "спроси",
            "запита",
            "сұрады",
        ];
        let next_word = lower.trim_start();
        let said = SAID.iter().chain(WRITTEN).any(|s| next_word.starts_with(s));
        return words <= 2 && after.starts_with(char::is_lowercase) && !said;
    }
    let mut w = p;
    while w > 0 && chars[w - 1].is_alphabetic() {
        w -= 1;
    }
    let prev = chars[w..p].iter().collect::<String>().to_lowercase();
    !WRITTEN.iter().any(|s| prev.starts_with(s))
}

/// True when the quote opening just before `start` is the first thing on its line.
pub(super) fn starts_line(chars: &[char], start: usize) -> bool {
    chars[..start.saturating_sub(1)]
        .iter()
        .rev()
        .take_while(|&&c| c != '\n')
        .all(|c| c.is_whitespace())
}

/// Scans one line for quotes: `(start, end, closed)` of the text inside the marks.
pub(super) fn quotes_in_line(
    chars: &[char],
    from: usize,
    to: usize,
    out: &mut Vec<(usize, usize, bool)>,
) {
    let mut open: Option<usize> = None;
    let mut i = from;
    while i < to {
        let c = chars[i];
        let prev = if i > from { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied().filter(|_| i + 1 < to);
        let space_before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        let space_after = next.is_none_or(char::is_whitespace);
        match open {
            None => {
                let opens = match c {
                    '“' | '„' | '«' => !space_after,
                    // A straight mark opens after a space (or at the line's start) before words.
                    '"' => space_before && !space_after,
                    _ => false,
                };
                if opens {
                    open = Some(i + 1);
                }
            }
            Some(s) => {
                // A curly opening mark inside an open quote closes it too: when it ends the
                // line or stands after the words ("body. “"); it starts a new quote when words
                // follow it (“It has to change.).
                // A quote in guillemets closes only with », so that a „nested“ one inside
                // it stays inside; „ closes with “ or ”.
                let opener = chars[s - 1];
                let closes = match c {
                    '»' => true,
                    '”' | '“' => opener != '«',
                    '"' => opener != '«' && (!space_before || space_after),
                    _ => false,
                };
                if closes {
                    push_quote(chars, s, i, true, out);
                    open = None;
                    // “ after words reopens (the seed's “It has to change.), except where it
                    // closes a German-style „…“ quote, as Ukrainian prints them.
                    if c == '“' && !space_after && chars[s - 1] != '„' {
                        open = Some(i + 1);
                    }
                }
            }
        }
        i += 1;
    }
    if let Some(s) = open {
        // Left open: the quote ends where the speaker's words end, which is the line's end
        // unless an attribution ("…,’ said X") shows they ended earlier.
        let end = unclosed_end(chars, s, to);
        push_quote(chars, s, end, false, out);
    }
}

/// Where an unclosed quote ends: at a closing single quote followed by a verb of saying,
/// or at the last non-space char of the line.
pub(super) fn unclosed_end(chars: &[char], start: usize, line_end: usize) -> usize {
    let mut i = start;
    while i < line_end {
        if matches!(chars[i], '’' | '\'')
            && i > start
            && matches!(chars[i - 1], ',' | '.' | '?' | '!')
        {
            let rest: String = chars[i + 1..line_end.min(i + 16)].iter().collect();
            let rest = rest.trim_start();
            if SAY.iter().any(|v| rest.starts_with(&format!("{v} ")))
                || ["she ", "he ", "they "].iter().any(|p| rest.starts_with(p))
            {
                return i + 1;
            }
        }
        i += 1;
    }
    let mut end = line_end;
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    end
}

pub(super) fn push_quote(
    chars: &[char],
    start: usize,
    end: usize,
    closed: bool,
    out: &mut Vec<(usize, usize, bool)>,
) {
    let mut s = start;
    let mut e = end;
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e > s && chars[s..e].iter().any(|c| c.is_alphanumeric()) {
        out.push((s, e, closed));
    }
}

/// The speaker of the quote `start..end`, from the attribution after it (same sentence) or
/// before it ("He added: “…").
pub(super) fn quote_speaker(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    start: usize,
    end: usize,
) -> Option<String> {
    let first_in = tokens.partition_point(|t| t.start < start);
    let after = tokens.partition_point(|t| t.start < end);
    // After the quote: skip its closing mark and punctuation, read to the next mark or sentence end.
    let mut j = after;
    while j < tokens.len() && tokens[j].kind == TokKind::Punct && !tokens[j].ends_sentence() {
        j += 1;
    }
    let mut stop = j;
    while stop < tokens.len()
        && !tokens[stop].ends_sentence()
        && !(tokens[stop].kind == TokKind::Punct && tokens[stop].lower.chars().all(is_open_mark))
    {
        stop += 1;
    }
    if stop > j
        && let Some((name, _)) = attribution_in(chars, tokens, j, stop.min(j + 14), people)
    {
        return Some(name);
    }
    // Before the quote, in its sentence: "Tokayev said on Twitter: “…”", "He added: “…".
    let mut b = first_in.saturating_sub(1);
    while b > 0 && !tokens[b - 1].ends_sentence() && !is_close_tok(&tokens[b - 1]) {
        b -= 1;
    }
    let before_end = first_in.saturating_sub(1);
    if before_end > b
        && let Some((name, _)) = attribution_in(chars, tokens, b, before_end, people)
    {
        return Some(name);
    }
    // A phrase quoted inside a sentence about someone ("the president ordered … “without
    // warning”"): the sentence's subject.
    let s = sentence_start(tokens, first_in.saturating_sub(1));
    // Short phrases only: a long quote without attribution is not a scare quote.
    if end - start < 60 && s < first_in {
        for t in &tokens[s..first_in.saturating_sub(1)] {
            if let Some(m) = people.mention_at(t.start) {
                return Some(people.names[m.person].clone());
            }
        }
        for k in s..first_in.saturating_sub(1) {
            if tokens[k].has(class::DETERMINERS)
                && let Some(next) = tokens.get(k + 1)
                && let Some(p) = people.by_title(next.lower)
            {
                return Some(p.to_owned());
            }
        }
    }
    None
}

pub(super) fn is_close_tok(t: &Tok) -> bool {
    t.kind == TokKind::Punct && t.lower.chars().all(is_close_mark)
}
