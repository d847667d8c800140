//! A snapshot rotation tool: ten operations of the generated `elasticache` crate, the crate
//! built with those ten only.

use elasticache::types::Tag;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = elasticache::Config::from_env().await;
    let client = elasticache::Client::from_conf(config);
    let clusters = client.describe_cache_clusters().show_cache_node_info(true).send().await?;
    for c in clusters.cache_clusters() {
        println!("cluster {:?} {:?}", c.cache_cluster_id(), c.cache_cluster_status());
    }
    let groups = client.describe_replication_groups().send().await?;
    for g in groups.replication_groups() {
        let Some(id) = g.replication_group_id() else { continue };
        let snapshot = format!("{id}-rotation");
        client.create_snapshot().replication_group_id(id).snapshot_name(&snapshot).send().await?;
        client
            .copy_snapshot()
            .source_snapshot_name(&snapshot)
            .target_snapshot_name(format!("{snapshot}-copy"))
            .target_bucket("backups")
            .send()
            .await?;
        if let Some(arn) = g.arn() {
            client.add_tags_to_resource().resource_name(arn).tags(Tag::builder().key("rotated").value("yes").build()).send().await?;
            let tags = client.list_tags_for_resource().resource_name(arn).send().await?;
            println!("tags {:?}", tags.tag_list());
        }
        client.modify_replication_group().replication_group_id(id).snapshot_retention_limit(7).apply_immediately(true).send().await?;
    }
    let snapshots = client.describe_snapshots().send().await?;
    for name in snapshots.snapshots().iter().filter_map(|s| s.snapshot_name()) {
        if name.ends_with("-rotation-old") {
            client.delete_snapshot().snapshot_name(name).send().await?;
        }
    }
    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await?;
    for p in out.parameters() {
        println!("{:?} {:?}", p.parameter_name(), p.change_type());
    }
    Ok(())
}
