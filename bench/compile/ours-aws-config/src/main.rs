//! Calls DescribeCacheParameters through the generated `elasticache` crate, with region and
//! credentials from aws-config.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sdk_config = aws_config::load_from_env().await;
    let provider = sdk_config.credentials_provider().ok_or("aws-config found no credentials provider")?;
    let config = elasticache::Config::builder()
        .region(sdk_config.region().map(|r| elasticache::config::Region::new(r.to_string())))
        .credentials_provider(elasticache::config::AwsConfigCredentials::new(provider))
        .build();
    let client = elasticache::Client::from_conf(config);
    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await?;
    for p in out.parameters() {
        println!("{:?} {:?}", p.parameter_name(), p.change_type());
    }
    Ok(())
}
