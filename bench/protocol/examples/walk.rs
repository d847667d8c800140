//! Walks `describe-cache-parameters.xml` with the runtime's reader without building output,
//! to separate the reader's own cost from the output's allocations.
use aws_query_runtime::xml::{XmlError, XmlReader};

fn walk(r: &mut XmlReader<'_>, leaves: &mut usize) -> Result<(), XmlError> {
    while let Some(child) = r.next_child()? {
        let leaf = matches!(child.name(), "ParameterName" | "ParameterValue" | "Description" | "Source" | "DataType" | "AllowedValues" | "IsModifiable" | "MinimumEngineVersion" | "ChangeType" | "CacheNodeType" | "Value" | "Marker" | "RequestId");
        if leaf {
            let t = r.text()?;
            *leaves += t.len();
        } else {
            walk(r, leaves)?;
        }
    }
    Ok(())
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let body = protocol_bench::fixture("describe-cache-parameters.xml");
    let mut total = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let mut r = XmlReader::new(&body);
        r.root().unwrap();
        walk(&mut r, &mut total).unwrap();
    }
    println!("{total} {:?} per walk", start.elapsed() / n as u32);
}
