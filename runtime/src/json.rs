//! botocore-style JSON for generated crates' `json` feature: the conversions every crate
//! shares. Parameters use model member names; timestamps are written as ISO-8601 in UTC to
//! the microsecond (`2014-04-29T18:30:38.123456Z`, exact where epoch seconds as a double
//! are not) and read in any format the protocol uses, epoch seconds included; blobs are
//! text; non-finite floats are `"NaN"`, `"Infinity"`, `"-Infinity"`.

use serde_json::{Map, Value};

pub fn error_json(members: Value, meta: &crate::error::ErrorMetadata) -> Value {
    let mut error = Map::new();
    for (key, value) in [("Code", meta.code()), ("Message", meta.message()), ("Type", meta.error_type())] {
        if let Some(v) = value {
            error.insert(key.to_owned(), Value::from(v));
        }
    }
    let mut out = match members {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    out.insert("Error".to_owned(), Value::Object(error));
    Value::Object(out)
}

/// A member of `params`, treating `null` as absent.
pub fn field<'v>(params: &'v Value, name: &str) -> Option<&'v Value> {
    params.get(name).filter(|v| !v.is_null())
}

pub fn string(v: &Value, at: &str) -> Result<String, String> {
    v.as_str().map(str::to_owned).ok_or_else(|| format!("{at}: expected a string"))
}

pub fn boolean(v: &Value, at: &str) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| format!("{at}: expected a boolean"))
}

pub fn long(v: &Value, at: &str) -> Result<i64, String> {
    v.as_i64().ok_or_else(|| format!("{at}: expected an integer"))
}

pub fn integer(v: &Value, at: &str) -> Result<i32, String> {
    i32::try_from(long(v, at)?).map_err(|_| format!("{at}: out of range"))
}

pub fn double(v: &Value, at: &str) -> Result<f64, String> {
    match v.as_str() {
        Some("NaN") => Ok(f64::NAN),
        Some("Infinity") => Ok(f64::INFINITY),
        Some("-Infinity") => Ok(f64::NEG_INFINITY),
        _ => v.as_f64().ok_or_else(|| format!("{at}: expected a number")),
    }
}

pub fn float(v: &Value, at: &str) -> Result<f32, String> {
    double(v, at).map(|d| d as f32)
}

pub fn timestamp(v: &Value, at: &str) -> Result<crate::primitives::DateTime, String> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(format!("{at}: expected a timestamp")),
    };
    crate::time::parse_timestamp(&text).map_err(|m| format!("{at}: {m}"))
}

pub fn blob(v: &Value, at: &str) -> Result<crate::primitives::Blob, String> {
    string(v, at).map(|s| crate::primitives::Blob::new(s.into_bytes()))
}

pub fn list<T>(v: &Value, at: &str, item: impl Fn(&Value, &str) -> Result<T, String>) -> Result<Vec<T>, String> {
    let items = v.as_array().ok_or_else(|| format!("{at}: expected a list"))?;
    items.iter().enumerate().map(|(i, v)| item(v, &format!("{at}[{i}]"))).collect()
}

pub fn map<K, T, M: FromIterator<(K, T)>>(
    v: &Value,
    at: &str,
    key: impl Fn(&str) -> K,
    value: impl Fn(&Value, &str) -> Result<T, String>,
) -> Result<M, String> {
    let entries = v.as_object().ok_or_else(|| format!("{at}: expected a map"))?;
    entries.iter().map(|(k, v)| Ok((key(k), value(v, &format!("{at}.{k}"))?))).collect()
}

/// An `f32` as the number it was written as (`1.2`, not `1.2000000476837158`).
pub fn float_number(v: f32) -> Value {
    if v.is_finite() {
        v.to_string().parse::<f64>().map_or(Value::Null, number)
    } else {
        number(f64::from(v))
    }
}

pub fn number(v: f64) -> Value {
    if v.is_nan() {
        Value::from("NaN")
    } else if v.is_infinite() {
        Value::from(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

pub fn time_json(t: &crate::primitives::DateTime) -> Value {
    let mut text = String::with_capacity(27);
    crate::time::format_iso8601(t, &mut text);
    Value::from(text)
}

pub fn blob_json(b: &crate::primitives::Blob) -> Value {
    Value::from(String::from_utf8_lossy(b.as_slice()).into_owned())
}

