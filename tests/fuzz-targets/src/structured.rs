//! The structured target: a response document built from the fuzzer's bytes (read as
//! `arbitrary` choices) for the output shape of any operation — ElastiCache's, the
//! snapshot model's (maps, blobs, flattened lists, attributes) and every output case of
//! botocore's protocol suites (floats, longs, every timestamp format) — so that hostile
//! timestamps, numbers, booleans, base64 and enum strings reach every field of every
//! shape, behind well-formed XML the parsers walk into. The generated parser must give
//! the output or an error naming where, never panic.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value};
use std::fmt::Write;
use std::sync::OnceLock;

/// A generated crate's `json::parse_response`.
type Parse = fn(&str, u16, &[u8]) -> std::result::Result<Value, String>;

/// One operation's output: the shapes of its model, where its output sits, its parser.
struct Output {
    shapes: &'static Map<String, Value>,
    operation: &'static str,
    shape: Option<&'static str>,
    wrapper: Option<&'static str>,
    parse: Parse,
}

/// Deepest structure nesting generated (recursive shapes stop here).
const MAX_DEPTH: usize = 8;
/// Most list items or map entries generated in one place.
const MAX_ITEMS: usize = 4;

fn leak(model: &str) -> &'static Value {
    Box::leak(Box::new(serde_json::from_str(model).unwrap_or(Value::Null)))
}

/// Every output, built once from the models compiled into this crate.
fn outputs() -> &'static [Output] {
    static OUTPUTS: OnceLock<Vec<Output>> = OnceLock::new();
    OUTPUTS.get_or_init(|| {
        let mut all = Vec::new();
        let services: [(&Value, Parse); 2] = [
            (leak(include_str!("../../../models/elasticache/service-2.json")), elasticache_json::parse_response),
            (leak(include_str!("../../data/snapshot/service-2.json")), snapshot_service::json::parse_response),
        ];
        for (model, parse) in services {
            let Some(shapes) = model["shapes"].as_object() else { continue };
            for (name, op) in model["operations"].as_object().into_iter().flatten() {
                all.push(Output {
                    shapes,
                    operation: name,
                    shape: op["output"]["shape"].as_str(),
                    wrapper: op["output"]["resultWrapper"].as_str(),
                    parse,
                });
            }
        }
        let suites = leak(include_str!("../../data/protocol/output-query.json"));
        for suite in suites.as_array().into_iter().flatten() {
            let Some(shapes) = suite["shapes"].as_object() else { continue };
            for case in suite["cases"].as_array().into_iter().flatten() {
                let Some(compiled) = protocol_suite::CASES.iter().find(|c| Some(c.id) == case["id"].as_str()) else { continue };
                all.push(Output {
                    shapes,
                    operation: compiled.operation,
                    shape: case["given"]["output"]["shape"].as_str(),
                    wrapper: case["given"]["output"]["resultWrapper"].as_str(),
                    parse: compiled.parse_response,
                });
            }
        }
        all
    })
}

pub fn structured_outputs(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let outputs = outputs();
    let Ok(output) = u.choose(outputs) else { return };
    let Ok(body) = document(&mut u, output) else { return };
    let _ = (output.parse)(output.operation, 200, body.as_bytes());
}

/// `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…</…></{Op}Response>`.
fn document(u: &mut Unstructured<'_>, output: &Output) -> Result<String> {
    let mut w = Writer { u, shapes: output.shapes, out: String::new() };
    if w.u.arbitrary()? {
        w.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let root = format!("{}Response", output.operation);
    w.out.push_str(&format!("<{root} xmlns=\"urn:fuzz\">"));
    if let Some(shape) = output.shape {
        match output.wrapper {
            Some(wrapper) => w.element(wrapper, shape, 0)?,
            None => w.members(shape, 0)?,
        }
    }
    w.out.push_str("<ResponseMetadata><RequestId>fuzz</RequestId></ResponseMetadata>");
    w.out.push_str(&format!("</{root}>"));
    Ok(w.out)
}

struct Writer<'u, 'd> {
    u: &'u mut Unstructured<'d>,
    shapes: &'static Map<String, Value>,
    out: String,
}

impl Writer<'_, '_> {
    fn shape(&self, name: &str) -> &'static Value {
        static NULL: Value = Value::Null;
        self.shapes.get(name).unwrap_or(&NULL)
    }

    /// `<name>value of shape</name>`.
    fn element(&mut self, name: &str, shape: &str, depth: usize) -> Result<()> {
        let def = self.shape(shape);
        match def["type"].as_str() {
            Some("structure") => {
                self.out.push_str(&format!("<{name}"));
                self.attributes(def)?;
                self.out.push('>');
                self.members(shape, depth + 1)?;
                self.out.push_str(&format!("</{name}>"));
            }
            Some("list") if !def["flattened"].as_bool().unwrap_or(false) => {
                self.out.push_str(&format!("<{name}>"));
                let item = def["member"]["locationName"].as_str().unwrap_or("member");
                self.list_items(item, def, depth)?;
                self.out.push_str(&format!("</{name}>"));
            }
            Some("list") => self.list_items(name, def, depth)?,
            Some("map") if !def["flattened"].as_bool().unwrap_or(false) => {
                self.out.push_str(&format!("<{name}>"));
                for _ in 0..self.u.int_in_range(0..=MAX_ITEMS)? {
                    self.out.push_str("<entry>");
                    self.map_entry(def, depth)?;
                    self.out.push_str("</entry>");
                }
                self.out.push_str(&format!("</{name}>"));
            }
            Some("map") => {
                for _ in 0..self.u.int_in_range(0..=MAX_ITEMS)? {
                    self.out.push_str(&format!("<{name}>"));
                    self.map_entry(def, depth)?;
                    self.out.push_str(&format!("</{name}>"));
                }
            }
            kind => {
                let text = self.scalar(kind.unwrap_or("string"), def)?;
                if text.is_empty() && self.u.arbitrary()? {
                    self.out.push_str(&format!("<{name}/>"));
                } else {
                    self.out.push_str(&format!("<{name}>{text}</{name}>"));
                }
            }
        }
        Ok(())
    }

    /// Each member the bytes choose, in model order, sometimes twice, with noise between.
    fn members(&mut self, shape: &str, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let def = self.shape(shape);
        for (name, member) in def["members"].as_object().into_iter().flatten() {
            if member["xmlAttribute"].as_bool().unwrap_or(false) || !self.u.arbitrary::<bool>()? {
                continue;
            }
            let element = member["locationName"].as_str().unwrap_or(name);
            let Some(target) = member["shape"].as_str() else { continue };
            let repeats = if self.u.ratio(1, 16)? { 2 } else { 1 };
            for _ in 0..repeats {
                if member["flattened"].as_bool().unwrap_or(false) && self.shape(target)["type"] == "list" {
                    self.list_items(element, self.shape(target), depth)?;
                } else {
                    self.element(element, target, depth)?;
                }
            }
            if self.u.ratio(1, 32)? {
                self.out.push_str("<Unmodeled><Nested>x</Nested></Unmodeled><!-- note -->");
            }
        }
        Ok(())
    }

    /// The structure's `xmlAttribute` members the bytes choose, inside the start tag.
    fn attributes(&mut self, def: &Value) -> Result<()> {
        for (name, member) in def["members"].as_object().into_iter().flatten() {
            if !member["xmlAttribute"].as_bool().unwrap_or(false) || !self.u.arbitrary::<bool>()? {
                continue;
            }
            let target = self.shape(member["shape"].as_str().unwrap_or_default());
            let text = self.scalar(target["type"].as_str().unwrap_or("string"), target)?.replace('"', "&quot;");
            let attr = member["locationName"].as_str().unwrap_or(name);
            self.out.push_str(&format!(" {attr}=\"{text}\""));
        }
        Ok(())
    }

    fn list_items(&mut self, item: &str, def: &Value, depth: usize) -> Result<()> {
        let Some(target) = def["member"]["shape"].as_str() else { return Ok(()) };
        for _ in 0..self.u.int_in_range(0..=MAX_ITEMS)? {
            self.element(item, target, depth + 1)?;
        }
        Ok(())
    }

    fn map_entry(&mut self, def: &Value, depth: usize) -> Result<()> {
        let key = def["key"]["locationName"].as_str().unwrap_or("key");
        let value = def["value"]["locationName"].as_str().unwrap_or("value");
        self.element(key, def["key"]["shape"].as_str().unwrap_or("String"), depth + 1)?;
        self.element(value, def["value"]["shape"].as_str().unwrap_or("String"), depth + 1)
    }

    /// The text of a scalar of `kind`: mostly well-formed, often at or past its limits.
    fn scalar(&mut self, kind: &str, def: &Value) -> Result<String> {
        Ok(match kind {
            "timestamp" => timestamp(self.u)?,
            "integer" | "long" | "short" | "byte" => integer(self.u)?,
            "float" | "double" => float(self.u)?,
            "boolean" => pick(self.u, &["true", "false", "True", "1", "", " true ", "yes"])?,
            "blob" => blob(self.u)?,
            _ => string(self.u, def)?,
        })
    }
}

fn pick(u: &mut Unstructured<'_>, choices: &[&str]) -> Result<String> {
    Ok((*u.choose(choices)?).to_owned())
}

/// Text escaped for XML content (and attribute values, once `"` is replaced).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn timestamp(u: &mut Unstructured<'_>) -> Result<String> {
    let year: i64 = match u.int_in_range(0..=4)? {
        0 => *u.choose(&[0, 1, 1969, 1970, 2038, 9999, 10000, -1, -9999, -10000, 99999])?,
        _ => u.int_in_range(1900..=2100)?,
    };
    let (month, day) = (u.int_in_range(0..=13u32)?, u.int_in_range(0..=32u32)?);
    let (hour, minute, second) = (u.int_in_range(0..=25u32)?, u.int_in_range(0..=60u32)?, u.int_in_range(0..=61u32)?);
    let digits = u.int_in_range(0..=24usize)?;
    let mut fraction = String::new();
    for _ in 0..digits {
        fraction.push(char::from(b'0' + u.int_in_range(0..=9u8)?));
    }
    let dot = if fraction.is_empty() { String::new() } else { format!(".{fraction}") };
    let mut out = String::new();
    match u.int_in_range(0..=3)? {
        0 | 1 => {
            let year = if year < 0 { format!("-{:04}", year.unsigned_abs()) } else { format!("{year:04}") };
            let offset = match u.int_in_range(0..=3)? {
                0 => "Z".to_owned(),
                1 => String::new(),
                _ => format!(
                    "{}{:02}:{:02}",
                    if u.arbitrary()? { '+' } else { '-' },
                    u.int_in_range(0..=27u32)?,
                    u.int_in_range(0..=60u32)?
                ),
            };
            let _ = write!(out, "{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{dot}{offset}");
        }
        2 => {
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"];
            let name = months.get(month.saturating_sub(1) as usize).unwrap_or(&"Jan");
            let _ = write!(out, "Tue, {day:02} {name} {year:04} {hour:02}:{minute:02}:{second:02}{dot} GMT");
        }
        _ => {
            let secs: i64 = match u.int_in_range(0..=3)? {
                0 => *u.choose(&[0, -1, 253_402_300_799, 253_402_300_800, -377_705_116_800, i64::MAX, i64::MIN])?,
                _ => u.int_in_range(-4_000_000_000..=4_000_000_000)?,
            };
            let exponent = if u.ratio(1, 8)? { format!("e{}", u.int_in_range(-30..=30i32)?) } else { String::new() };
            let _ = write!(out, "{secs}{dot}{exponent}");
        }
    }
    Ok(out)
}

fn integer(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => pick(u, &["2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-0", "+5", " 7 ", "1e3", "0x10", "1.0", "", "99999999999999999999999999"])?,
        1 => u.arbitrary::<i32>()?.to_string(),
        _ => u.arbitrary::<i64>()?.to_string(),
    })
}

fn float(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=2)? {
        0 => pick(u, &["NaN", "Infinity", "-Infinity", "inf", "nan", "1e309", "-0", "0x1p3", "1.7976931348623157e308",
            "4.9e-324", "3.4028235e38", "3.4028236e38", "1.4e-45", "", ".", "1e", "+1.5"])?,
        _ => format!("{:?}", f64::from_bits(u.arbitrary()?)),
    })
}

fn blob(u: &mut Unstructured<'_>) -> Result<String> {
    let bytes: Vec<u8> = u.arbitrary()?;
    let mut out = String::new();
    aws_query_runtime::base64::encode(&bytes, &mut out);
    Ok(match u.int_in_range(0..=3)? {
        0 => out.trim_end_matches('=').to_owned(),
        1 => escape(&String::from_utf8_lossy(&bytes)),
        _ => out,
    })
}

fn string(u: &mut Unstructured<'_>, def: &Value) -> Result<String> {
    let values: Vec<&str> = def["enum"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if !values.is_empty() && u.arbitrary()? {
        return Ok(escape(u.choose(&values)?));
    }
    Ok(match u.int_in_range(0..=7)? {
        0 => pick(u, &["&#0;", "&#xD800;", "&#x10FFFF;", "&unknown;", "<![CDATA[a<b]]>", "&#x1F600;", "&lt;&amp;&gt;", "&#65;&#x42;"])?,
        _ => escape(&u.arbitrary::<String>()?),
    })
}
