//! Attribution: who said it, from the words around a quote or a figure.

use super::{People, Tok, TokKind, class, text_of};

/// Verbs of saying.
pub(super) const SAY: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "explained",
    "wrote",
    "tweeted",
    "recalled",
    "continued",
    "insisted",
    "warned",
    "shouted",
    "stated",
    "reported",
    "announced",
    "claimed",
    "alleged",
    "estimated",
    "estimates",
    "confirmed",
    "noted",
    "declared",
    "urged",
    "replied",
    "posted",
    "argued",
    // Russian, Ukrainian and Kazakh ("— сказал он", "— деді ол").
    "сказал",
    "сказала",
    "сказали",
    "заявил",
    "заявила",
    "заявили",
    "отметил",
    "отметила",
    "отметили",
    "добавил",
    "добавила",
    "добавили",
    "сообщил",
    "сообщила",
    "сообщили",
    "подчеркнул",
    "подчеркнула",
    "подчеркнули",
    "пояснил",
    "пояснила",
    "пояснили",
    "рассказал",
    "рассказала",
    "рассказали",
    "признал",
    "признала",
    "признался",
    "призналась",
    "уточнил",
    "уточнила",
    "уточнили",
    "написал",
    "написала",
    "написали",
    "говорит",
    "говорил",
    "говорила",
    "говорят",
    "считает",
    "призвал",
    "призвала",
    "заверил",
    "заверила",
    "пообещал",
    "пообещала",
    "констатировал",
    "ответил",
    "ответила",
    "вспоминает",
    "рассказывает",
    "добавляет",
    "пожаловалась",
    "пожаловался",
    "жалуется",
    "крикнул",
    "крикнула",
    "объяснил",
    "объяснила",
    "продолжил",
    "продолжила",
    "заключил",
    "заключила",
    "уверяет",
    "сказав",
    "заявив",
    "зазначив",
    "зазначила",
    "зазначили",
    "додав",
    "додала",
    "додали",
    "повідомив",
    "повідомила",
    "повідомили",
    "наголосив",
    "наголосила",
    "наголосили",
    "розповів",
    "розповіла",
    "розповіли",
    "пояснив",
    "уточнив",
    "написав",
    "каже",
    "кажуть",
    "говорить",
    "запевнив",
    "запевнила",
    "пообіцяв",
    "пообіцяла",
    "відповів",
    "відповіла",
    "визнав",
    "визнала",
    "підкреслив",
    "підкреслила",
    "деді",
    "деп",
    "айтты",
    "мәлімдеді",
    "хабарлады",
    "түсіндірді",
    "жазды",
    "сендірді",
    "қосты",
];

pub(super) const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "он", "она", "они", "ол", "олар", "він", "вона", "вони",
];
pub(super) const DETERMINERS: &[&str] = &["the", "a", "an", "its", "his", "her", "their"];

/// Resolves a subject noun phrase (tokens `from..to`) to a speaker name.
pub(super) fn resolve_subject(
    chars: &[char],
    tokens: &[Tok],
    from: usize,
    to: usize,
    people: &People,
) -> Option<String> {
    if from >= to {
        return None;
    }
    let phrase = &tokens[from..to];
    if phrase.len() == 1 && phrase[0].has(class::PRONOUNS) {
        return people.last_before(phrase[0].start).map(str::to_owned);
    }
    // A known person named in the phrase.
    for t in phrase.iter().rev() {
        if let Some(m) = people.mention_at(t.start) {
            return Some(people.names[m.person].clone());
        }
    }
    // A title ("the president").
    let words: Vec<&str> = phrase
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.lower)
        .collect();
    if words.first().is_some_and(|w| DETERMINERS.contains(w))
        && let Some(p) = people.by_title(&words[1..].join(" "))
    {
        return Some(p.to_owned());
    }
    let mut s = from;
    while s < to && tokens[s].has(class::DETERMINERS) {
        s += 1;
    }
    if s >= to {
        return None;
    }
    let text = text_of(chars, tokens[s].start, tokens[to - 1].end);
    Some(text.trim_end_matches("’s").to_owned())
}

/// The subject before a verb of saying at token `verb`: up to five words back, stopping at
/// punctuation, a closing quote or a conjunction.
pub(super) fn subject_before(tokens: &[Tok], verb: usize) -> (usize, usize) {
    let mut s = verb;
    while s > 0 && verb - s < 5 {
        let t = &tokens[s - 1];
        if !t.is_word()
            || t.is_any(&[
                "and", "but", "that", "which", "who", "as", "while", "although", "also", "had",
                "has", "have", "was", "then", "later", "on", "earlier",
            ])
        {
            break;
        }
        s -= 1;
    }
    // Adverbs between subject and verb ("police also said") are skipped above by stopping;
    // when the word right before the verb is an adverb, look past it.
    (s, verb)
}

/// The name after a verb of saying at token `verb` ("said Dana Zhanay, an activist").
pub(super) fn name_after(
    chars: &[char],
    tokens: &[Tok],
    verb: usize,
    people: &People,
) -> Option<String> {
    let first = tokens.get(verb + 1)?;
    if !first.is_word() {
        return None;
    }
    if first.has(class::PRONOUNS) {
        return people.last_before(first.start).map(str::to_owned);
    }
    if let Some(m) = people.mention_at(first.start) {
        return Some(people.names[m.person].clone());
    }
    // "сказала жительница города Айнура Бекова", "деп сендірді Асқар Төлеуов": in these
    // languages a description often stands between the verb and the name.
    if tokens[verb]
        .lower
        .chars()
        .next()
        .is_some_and(crate::text::is_cyrillic)
    {
        for t in tokens[verb + 1..].iter().take(7) {
            if t.ends_sentence() || (t.kind == TokKind::Punct && !t.is_any(&["-", "–"])) {
                break;
            }
            if let Some(m) = people.mention_at(t.start) {
                return Some(people.names[m.person].clone());
            }
        }
    }
    // "said the interior ministry", "said a military spokesman", "said Reuters".
    let mut e = verb + 1;
    while e < tokens.len() && tokens[e].is_word() && e - verb <= 5 {
        e += 1;
    }
    let from = verb + 1;
    if first.capital || first.has(class::DETERMINERS) {
        // Titles: "said President X" is caught by the mention lookup; stop at lower-case
        // verbs like "on" or "in".
        let mut stop = from;
        while stop < e
            && !tokens[stop].is_any(&[
                "on", "in", "at", "after", "before", "when", "that", "to", "by", "during",
            ])
        {
            stop += 1;
        }
        return resolve_subject(chars, tokens, from, stop, people);
    }
    None
}

/// Who a sentence (tokens `from..to`) attributes itself to: "X said", "said X",
/// "according to X", "X told Y". Returns the speaker and the token index of the verb.
pub(super) fn attribution_in(
    chars: &[char],
    tokens: &[Tok],
    from: usize,
    to: usize,
    people: &People,
) -> Option<(String, usize)> {
    for i in from..to {
        let t = &tokens[i];
        if t.is("according") && tokens.get(i + 1).is_some_and(|n| n.is("to")) {
            let mut e = i + 2;
            while e < to && tokens[e].is_word() {
                e += 1;
            }
            if let Some(s) = resolve_subject(chars, tokens, i + 2, e, people) {
                return Some((s, i));
            }
        }
    }
    for i in from..to {
        let t = &tokens[i];
        if !t.has(class::SAY) {
            continue;
        }
        // "X said" first, then "said X".
        let (s, e) = subject_before(tokens, i);
        if s < e
            && s >= from
            && let Some(name) = resolve_subject(chars, tokens, s, e, people)
        {
            return Some((name, i));
        }
        if let Some(name) = name_after(chars, tokens, i, people) {
            return Some((name, i));
        }
    }
    None
}
