//! Languages of sentences: which lexicon a sentence in Cyrillic is read with.

use crate::suggest::Lang;
use crate::suggest::lexicon::Lexicon;

/// The lexicon for the sentence `from..to` (chars), or `None` when it is not in Cyrillic.
/// Letters only these languages use decide (Kazakh `әғқңөұүһ`, Ukrainian `іїєґ` and the
/// apostrophe inside a word, Russian `ыэъё`); a sentence with none of them takes the language
/// of the text around it (a few hundred chars either side), then the article's.
pub(super) fn sentence_lexicon(
    chars: &[char],
    from: usize,
    to: usize,
    default: Lang,
) -> Option<&'static Lexicon> {
    let own = letters(&chars[from..to]);
    if own.cyrillic == 0 || own.cyrillic < own.latin {
        return None;
    }
    // The paragraph around it, at most a few hundred chars either side.
    let around = || {
        let floor = from.saturating_sub(600);
        let start = chars[floor..from]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(floor, |p| floor + p + 1);
        let ceiling = (to + 600).min(chars.len());
        let end = chars[to..ceiling]
            .iter()
            .position(|&c| c == '\n')
            .map_or(ceiling, |p| to + p);
        letters(&chars[start..end])
    };
    let lang = own
        .decide()
        .or_else(|| around().decide())
        .unwrap_or(if default == Lang::En {
            Lang::Ru
        } else {
            default
        });
    Lexicon::of(lang)
}

/// Counts of the letters that tell the languages apart.
#[derive(Default)]
struct Letters {
    cyrillic: usize,
    latin: usize,
    kk: usize,
    uk: usize,
    ru: usize,
}

impl Letters {
    /// The language the letters decide, if they do.
    fn decide(&self) -> Option<Lang> {
        if self.kk > 0 {
            Some(Lang::Kk)
        } else if self.uk > 0 && self.ru == 0 {
            Some(Lang::Uk)
        } else if self.ru > 0 && self.uk == 0 {
            Some(Lang::Ru)
        } else if self.uk > self.ru {
            Some(Lang::Uk)
        } else if self.ru > self.uk {
            Some(Lang::Ru)
        } else {
            None
        }
    }
}

fn letters(chars: &[char]) -> Letters {
    let mut n = Letters::default();
    let mut prev_cyrillic = false;
    for &c in chars {
        // An apostrophe inside a Cyrillic word (п’ять, сім'я) is Ukrainian.
        if prev_cyrillic && matches!(c, '’' | 'ʼ' | '\'') {
            n.uk += 1;
        }
        prev_cyrillic = crate::text::is_cyrillic(c);
        if prev_cyrillic {
            n.cyrillic += 1;
            match c {
                'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'Ә' | 'Ғ' | 'Қ' | 'Ң' | 'Ө'
                | 'Ұ' | 'Ү' | 'Һ' => n.kk += 1,
                // Kazakh uses і too; without Kazakh's own letters it says Ukrainian.
                'ї' | 'є' | 'ґ' | 'і' | 'Ї' | 'Є' | 'Ґ' | 'І' => n.uk += 1,
                'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё' => n.ru += 1,
                _ => {}
            }
        } else if c.is_ascii_alphabetic() {
            n.latin += 1;
        }
    }
    n
}
