//! What the commands that write a `CHANGELOG.md` share: the entry goes first, under the title
//! and introduction, and entries are dated with today's date.

/// `CHANGELOG.md` with `entry` first, after the title and introduction (`heading`, used for a
/// file made now) and before the previous entries (`## ...`).
pub fn prepend(existing: Option<&str>, entry: &str, heading: &str) -> String {
    match existing {
        None => format!("{heading}{entry}"),
        Some(text) => match text.find("\n## ") {
            Some(at) => format!("{}\n{entry}\n{}", &text[..at], &text[at + 1..]),
            None => format!("{}\n\n{entry}", text.trim_end()),
        },
    }
}

/// Today (UTC) as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention; the tests use it).
pub fn today() -> Result<String, String> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<u64>().map_err(|_| format!("error: SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| format!("error: the clock is before 1970: {e}"))?
            .as_secs(),
    };
    let (y, m, d) = civil_from_days((seconds / 86_400) as i64);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn entries_go_first() {
        let heading = "# Changelog of `svc`\n\nNewest first.\n\n";
        let first = prepend(None, "## 0.1.1 (2026-01-01)\n\none\n", heading);
        assert_eq!(first, "# Changelog of `svc`\n\nNewest first.\n\n## 0.1.1 (2026-01-01)\n\none\n");
        let second = prepend(Some(&first), "## 0.1.2 (2026-02-01)\n\ntwo\n", heading);
        let at2 = second.find("## 0.1.2").unwrap();
        let at1 = second.find("## 0.1.1").unwrap();
        assert!(at2 < at1, "{second}");
        assert_eq!(second.replace("## 0.1.2 (2026-02-01)\n\ntwo\n\n", ""), first);
        // A file with a title and no entry yet.
        assert_eq!(prepend(Some("# Changelog\n"), "## a\n", heading), "# Changelog\n\n## a\n");
    }
}
