//! Calls DescribeCacheParameters, set up as aws-sdk-elasticache programs are (aws-config),
//! through this project's crates renamed in Cargo.toml.

use aws_config::BehaviorVersion;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_elasticache::Client::new(&config);
    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await?;
    for p in out.parameters() {
        println!("{:?} {:?}", p.parameter_name(), p.change_type());
    }
    Ok(())
}
