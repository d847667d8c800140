//! Calls DescribeCacheParameters through the generated `elasticache` crate.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = elasticache::Config::from_env().await;
    let client = elasticache::Client::from_conf(config);
    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await?;
    for p in out.parameters() {
        println!("{:?} {:?}", p.parameter_name(), p.change_type());
    }
    Ok(())
}
