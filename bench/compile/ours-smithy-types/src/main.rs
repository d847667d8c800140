//! Calls DescribeCacheParameters through the generated `elasticache` crate, and prints the
//! time through aws-smithy-types' `DateTime`, so that the crate is compiled and linked.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = elasticache::Config::from_env().await;
    let client = elasticache::Client::from_conf(config);
    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await?;
    for p in out.parameters() {
        println!("{:?} {:?}", p.parameter_name(), p.change_type());
    }
    println!("{}", aws_smithy_types::DateTime::from(std::time::SystemTime::now()));
    Ok(())
}
