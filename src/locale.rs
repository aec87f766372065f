//! Press-release wording and dates in the statement's language.
//!
//! Labels ("FOR IMMEDIATE RELEASE", "- more -", "Page N of M" …) are given for the six official
//! UN languages and fall back to English; `labels` in front matter or `communique.toml`
//! overrides any of them. Dates are written by ICU4X (CLDR data compiled in), except English
//! datelines, which follow AP style ("Nov. 27, 2026").

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_locale_core::Locale;

use crate::model::{AlertKind, DateTime, LabelOverrides};

/// The languages whose furniture is translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
    Es,
    Ru,
    Zh,
    Ar,
    De,
    Pt,
}

impl Lang {
    /// The language of a BCP 47 tag (English when it is none of the six).
    pub fn of(tag: &str) -> Lang {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Lang::Fr,
            "es" => Lang::Es,
            "ru" => Lang::Ru,
            "zh" => Lang::Zh,
            "ar" => Lang::Ar,
            "de" => Lang::De,
            "pt" => Lang::Pt,
            _ => Lang::En,
        }
    }
}

/// Whether a BCP 47 language is written right to left (Arabic, Hebrew, Persian, Urdu, …):
/// the direction of a document whose front matter gives no `dir`.
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ckb" | "dv" | "ug"
    )
}

/// Page furniture and headings, resolved for one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// "FOR IMMEDIATE RELEASE"
    pub immediate: String,
    /// "EMBARGOED UNTIL" (followed by the time, zone and date)
    pub embargoed: String,
    /// "Media contact"
    pub media_contact: String,
    /// "About {organization}"
    pub about: String,
    /// "- more -"
    pub more: String,
    /// "###"
    pub end: String,
    /// "Page {n} of {total}"
    pub page: String,
    /// "Contents"
    pub contents: String,
}

impl Labels {
    /// The labels for `lang`, with the document's overrides applied.
    pub fn new(lang: &str, overrides: &LabelOverrides) -> Labels {
        let base = match Lang::of(lang) {
            Lang::En => [
                "FOR IMMEDIATE RELEASE",
                "EMBARGOED UNTIL",
                "Media contact",
                "About {organization}",
                "- more -",
                "###",
                "Page {n} of {total}",
                "Contents",
            ],
            Lang::Fr => [
                "POUR DIFFUSION IMMÉDIATE",
                "SOUS EMBARGO JUSQU’AU",
                "Contact presse",
                "À propos de {organization}",
                "- suite -",
                "###",
                "Page {n} sur {total}",
                "Sommaire",
            ],
            Lang::Es => [
                "PARA DIFUSIÓN INMEDIATA",
                "EMBARGADO HASTA",
                "Contacto de prensa",
                "Acerca de {organization}",
                "- sigue -",
                "###",
                "Página {n} de {total}",
                "Índice",
            ],
            Lang::Ru => [
                "ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ",
                "ЭМБАРГО ДО",
                "Контакты для СМИ",
                "Об организации {organization}",
                "- продолжение следует -",
                "###",
                "Страница {n} из {total}",
                "Содержание",
            ],
            Lang::Zh => [
                "即时发布",
                "禁止发布至",
                "媒体联系人",
                "关于{organization}",
                "－未完待续－",
                "###",
                "第{n}页，共{total}页",
                "目录",
            ],
            Lang::Ar => [
                "للنشر الفوري",
                "يُحظر النشر حتى",
                "للتواصل الإعلامي",
                "نبذة عن {organization}",
                "- يتبع -",
                "###",
                "الصفحة {n} من {total}",
                "المحتويات",
            ],
            Lang::De => [
                "ZUR SOFORTIGEN VERÖFFENTLICHUNG",
                "SPERRFRIST BIS",
                "Pressekontakt",
                "Über {organization}",
                "- Fortsetzung folgt -",
                "###",
                "Seite {n} von {total}",
                "Inhalt",
            ],
            Lang::Pt => [
                "PARA DIVULGAÇÃO IMEDIATA",
                "EMBARGO ATÉ",
                "Contato para a imprensa",
                "Sobre {organization}",
                "- continua -",
                "###",
                "Página {n} de {total}",
                "Índice",
            ],
        };
        let pick = |o: &Option<String>, d: &str| o.clone().unwrap_or_else(|| d.to_string());
        Labels {
            immediate: pick(&overrides.immediate, base[0]),
            embargoed: pick(&overrides.embargoed, base[1]),
            media_contact: pick(&overrides.media_contact, base[2]),
            about: pick(&overrides.about, base[3]),
            more: pick(&overrides.more, base[4]),
            end: pick(&overrides.end, base[5]),
            page: pick(&overrides.page, base[6]),
            contents: pick(&overrides.contents, base[7]),
        }
    }

    /// "About Amnesty International USA"
    pub fn about_heading(&self, organization: &str) -> String {
        self.about.replace("{organization}", organization)
    }

    /// "Page 1 of 2"
    pub fn page_of(&self, n: usize, total: usize) -> String {
        self.page
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string())
    }
}

/// The label of a GitHub alert (`> [!TIP]`) in the statement's language: the six UN
/// languages and German, else English.
pub fn alert_label(kind: AlertKind, lang: &str) -> &'static str {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let [note, tip, important, warning, caution] = match primary.as_str() {
        "fr" => [
            "Remarque",
            "Astuce",
            "Important",
            "Avertissement",
            "Attention",
        ],
        "es" => ["Nota", "Consejo", "Importante", "Advertencia", "Precaución"],
        "ru" => [
            "Примечание",
            "Совет",
            "Важно",
            "Предупреждение",
            "Осторожно",
        ],
        "zh" => ["备注", "提示", "重要", "警告", "注意"],
        "ar" => ["ملاحظة", "نصيحة", "مهم", "تحذير", "تنبيه"],
        "de" => ["Hinweis", "Tipp", "Wichtig", "Warnung", "Achtung"],
        "pt" => ["Nota", "Dica", "Importante", "Aviso", "Cuidado"],
        _ => ["Note", "Tip", "Important", "Warning", "Caution"],
    };
    match kind {
        AlertKind::Note => note,
        AlertKind::Tip => tip,
        AlertKind::Important => important,
        AlertKind::Warning => warning,
        AlertKind::Caution => caution,
    }
}

const AP_MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

/// The date as the language writes it in running text: "November 27, 2026", "27 novembre 2026",
/// "27 de noviembre de 2026", "27 ноября 2026 г.", "2026年11月27日".
pub fn long_date(date: &DateTime, lang: &str) -> String {
    icu_date(date, lang).unwrap_or_else(|| date_iso(date))
}

/// The date for the dateline: AP style in English ("Nov. 27, 2026"), else [`long_date`].
pub fn dateline_date(date: &DateTime, lang: &str) -> String {
    if is_english(lang) {
        format!(
            "{} {}, {}",
            AP_MONTHS[(date.month as usize).clamp(1, 12) - 1],
            date.day,
            date.year
        )
    } else {
        long_date(date, lang)
    }
}

/// Whether `lang` is English (or names no language): dates in English wording. Every other
/// language has its dates from ICU4X, also where its furniture labels are English.
fn is_english(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    primary.is_empty() || primary.eq_ignore_ascii_case("en")
}

/// "WASHINGTON (Nov. 27, 2026) — ", the lead-in of the first paragraph. Chinese and Arabic
/// use their own punctuation around the date.
pub fn dateline(city: Option<&str>, date: Option<&DateTime>, lang: &str) -> Option<String> {
    let date = date.map(|d| dateline_date(d, lang));
    match (city, date, Lang::of(lang)) {
        (None, None, _) => None,
        (Some(c), Some(d), Lang::Zh) => Some(format!("{c}（{d}）—— ")),
        (Some(c), None, Lang::Zh) => Some(format!("{c} —— ")),
        (None, Some(d), Lang::Zh) => Some(format!("（{d}）—— ")),
        (Some(c), Some(d), _) => Some(format!("{c} ({d}) — ")),
        (Some(c), None, _) => Some(format!("{c} — ")),
        (None, Some(d), _) => Some(format!("({d}) — ")),
    }
}

/// The release line for an embargo: "EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026" (the date in
/// capitals where the script has them).
pub fn embargo_line(labels: &Labels, until: &DateTime, zone: Option<&str>, lang: &str) -> String {
    let time = until.time.unwrap_or(crate::model::Time {
        hour: 0,
        minute: 0,
        second: 0,
        offset_minutes: Some(0),
    });
    let zone = match zone {
        Some(z) => z.to_string(),
        None => match time.offset_minutes {
            Some(0) | None => "UTC".to_string(),
            Some(o) => format!(
                "UTC{}{:02}:{:02}",
                if o < 0 { '−' } else { '+' },
                o.abs() / 60,
                o.abs() % 60
            ),
        },
    };
    let date = if is_english(lang) {
        format!(
            "{} {} {}",
            until.day,
            EN_MONTHS[(until.month as usize).clamp(1, 12) - 1],
            until.year
        )
    } else {
        long_date(until, lang)
    };
    format!(
        "{} {:02}:{:02} {zone}, {}",
        labels.embargoed,
        time.hour,
        time.minute,
        date.to_uppercase()
    )
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_iso(date: &DateTime) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

fn icu_date(date: &DateTime, lang: &str) -> Option<String> {
    let tag = match Lang::of(lang) {
        // Latin digits in Arabic dates, as most Arabic news media print them.
        Lang::Ar => "ar-u-nu-latn".to_string(),
        _ if is_english(lang) => {
            return Some(format!(
                "{} {}, {}",
                EN_MONTHS[(date.month as usize).clamp(1, 12) - 1],
                date.day,
                date.year
            ));
        }
        _ => lang.to_string(),
    };
    let locale: Locale = tag.parse().ok()?;
    let fmt =
        FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(locale.into(), YMD::long()).ok()?;
    let d = Date::try_new_gregorian(date.year, date.month, date.day).ok()?;
    Some(fmt.format(&d).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> DateTime {
        DateTime::parse_iso(s).unwrap()
    }

    #[test]
    fn dates_in_six_languages() {
        let date = d("2026-11-27");
        assert_eq!(dateline_date(&date, "en-US"), "Nov. 27, 2026");
        assert_eq!(long_date(&date, "en-US"), "November 27, 2026");
        assert_eq!(long_date(&date, "fr"), "27 novembre 2026");
        assert_eq!(long_date(&date, "es"), "27 de noviembre de 2026");
        assert_eq!(long_date(&date, "ru"), "27 ноября 2026\u{202f}г.");
        assert_eq!(long_date(&date, "zh"), "2026年11月27日");
        assert_eq!(long_date(&date, "ar"), "27 نوفمبر 2026");
        assert_eq!(dateline_date(&d("2026-03-05"), "en"), "March 5, 2026");
        assert_eq!(dateline_date(&d("2026-09-05"), "en"), "Sept. 5, 2026");
    }

    /// German and Portuguese have their own labels; every language has its own dates, also
    /// one whose labels are English.
    #[test]
    fn german_portuguese_and_other_languages() {
        let date = d("2026-11-27");
        assert_eq!(long_date(&date, "de"), "27. November 2026");
        assert_eq!(dateline_date(&date, "de-DE"), "27. November 2026");
        assert_eq!(long_date(&date, "pt"), "27 de novembro de 2026");
        assert_eq!(long_date(&date, "it"), "27 novembre 2026");
        assert_eq!(long_date(&date, "nl"), "27 november 2026");
        let de = Labels::new("de", &LabelOverrides::default());
        assert_eq!(de.immediate, "ZUR SOFORTIGEN VERÖFFENTLICHUNG");
        assert_eq!(de.page_of(1, 2), "Seite 1 von 2");
        let pt = Labels::new("pt-BR", &LabelOverrides::default());
        assert_eq!(pt.immediate, "PARA DIVULGAÇÃO IMEDIATA");
        assert_eq!(
            embargo_line(&de, &d("2026-11-28T00:01:00+01:00"), Some("MEZ"), "de"),
            "SPERRFRIST BIS 00:01 MEZ, 28. NOVEMBER 2026"
        );
        assert_eq!(alert_label(AlertKind::Tip, "pt"), "Dica");
    }

    #[test]
    fn dateline_lead_in() {
        let date = d("2026-11-27");
        assert_eq!(
            dateline(Some("WASHINGTON"), Some(&date), "en-US").unwrap(),
            "WASHINGTON (Nov. 27, 2026) — "
        );
        assert_eq!(
            dateline(Some("GENÈVE"), Some(&date), "fr-CH").unwrap(),
            "GENÈVE (27 novembre 2026) — "
        );
        assert_eq!(dateline(None, None, "en"), None);
    }

    #[test]
    fn embargo_lines() {
        let l = Labels::new("en-US", &LabelOverrides::default());
        assert_eq!(
            embargo_line(&l, &d("2026-11-28T00:01:00-05:00"), Some("EST"), "en-US"),
            "EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026"
        );
        assert_eq!(
            embargo_line(&l, &d("2026-11-28T00:01:00-05:00"), None, "en-US"),
            "EMBARGOED UNTIL 00:01 UTC−05:00, 28 NOVEMBER 2026"
        );
        let l = Labels::new("fr", &LabelOverrides::default());
        assert_eq!(
            embargo_line(&l, &d("2026-11-28T06:00:00+01:00"), Some("CET"), "fr"),
            "SOUS EMBARGO JUSQU’AU 06:00 CET, 28 NOVEMBRE 2026"
        );
    }

    #[test]
    fn overrides_win() {
        let o = LabelOverrides {
            more: Some("— MORE —".into()),
            ..LabelOverrides::default()
        };
        let l = Labels::new("en", &o);
        assert_eq!(l.more, "— MORE —");
        assert_eq!(l.page_of(1, 2), "Page 1 of 2");
        assert_eq!(l.about_heading("X"), "About X");
        assert_eq!(Labels::new("ru", &o).page_of(2, 3), "Страница 2 из 3");
    }
}
