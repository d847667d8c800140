//! Numbers as text, the way botocore writes them (the query writer's floats, epoch seconds).

/// Floats as botocore writes them, which is Python's `repr`: `10.8`, `1.0`, `1e+16`,
/// `1e-05`, `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn write_float(value: f64, out: &mut String) {
    if value.is_nan() {
        out.push_str("NaN");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    // Shortest round-trip digits and exponent, from Rust's `{:e}` ("-1.08e1").
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    // Digits before the decimal point (a finite double's exponent is within ±324).
    let point = exp.saturating_add(1);
    let places = usize::try_from(point.unsigned_abs()).unwrap_or(0);
    out.push_str(sign);
    if -4 < point && point <= 16 {
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', places));
            out.push_str(&digits);
        } else if let Some((int, frac)) = digits.split_at_checked(places).filter(|(_, frac)| !frac.is_empty()) {
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', places.saturating_sub(digits.len())));
            out.push_str(".0");
        }
    } else {
        // The digits are ASCII, so splitting after the first is on a character boundary.
        let (first, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = exp;
        out.push_str(&format!("e{}{:02}", if e < 0 { '-' } else { '+' }, e.unsigned_abs()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn floats_as_python_repr_prints_them() {
        let mut s = String::new();
        for v in [10.8, 1.0, -0.5, 1e16, 1234567890123456.0, 1e-5, 0.0001, 1.5e300, f64::NAN, f64::NEG_INFINITY] {
            super::write_float(v, &mut s);
            s.push(' ');
        }
        // What Python's repr() prints for the same values.
        assert_eq!(s, "10.8 1.0 -0.5 1e+16 1234567890123456.0 1e-05 0.0001 1.5e+300 NaN -Infinity ");
    }
}
