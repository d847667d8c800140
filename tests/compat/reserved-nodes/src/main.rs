//! Finds the cheapest reserved-node offering for a node type over a term and buys it
//! (`--buy`), printing the effective hourly price.
//!
//! usage: reserved-nodes <node-type> <years: 1|3> [--buy <count>]

use aws_sdk_elasticache::operation::describe_reserved_cache_nodes_offerings::DescribeReservedCacheNodesOfferingsInput;
use aws_sdk_elasticache::operation::purchase_reserved_cache_nodes_offering::PurchaseReservedCacheNodesOfferingInput;
use aws_sdk_elasticache::types::{ReservedCacheNode, ReservedCacheNodesOffering};
use aws_sdk_elasticache::Client;

const HOURS_PER_YEAR: f64 = 8760.0;

/// Upfront price spread over the term, plus the hourly and recurring charges.
pub fn effective_hourly(o: &ReservedCacheNodesOffering) -> Option<f64> {
    let years = f64::from(o.duration()?) / (365.0 * 86_400.0);
    let recurring: f64 = o
        .recurring_charges()
        .iter()
        .filter(|c| c.recurring_charge_frequency() == Some("Hourly"))
        .filter_map(|c| c.recurring_charge_amount())
        .sum();
    Some(o.fixed_price().unwrap_or(0.0) / (years * HOURS_PER_YEAR) + o.usage_price().unwrap_or(0.0) + recurring)
}

pub async fn cheapest(client: &Client, node_type: &str, years: i32) -> Result<Option<ReservedCacheNodesOffering>, aws_sdk_elasticache::Error> {
    // Built as an input first, as the team's request-logging wrapper expects.
    let input = DescribeReservedCacheNodesOfferingsInput::builder()
        .cache_node_type(node_type)
        .duration(format!("{years}"))
        .product_description("redis");
    let offerings: Vec<ReservedCacheNodesOffering> = input
        .send_with(client)
        .await?
        .reserved_cache_nodes_offerings()
        .to_vec();
    Ok(offerings
        .into_iter()
        .filter(|o| effective_hourly(o).is_some())
        .min_by(|a, b| effective_hourly(a).partial_cmp(&effective_hourly(b)).unwrap_or(std::cmp::Ordering::Equal)))
}

pub async fn buy(client: &Client, offering: &ReservedCacheNodesOffering, count: i32) -> Result<Option<ReservedCacheNode>, Box<dyn std::error::Error>> {
    let id = offering.reserved_cache_nodes_offering_id().ok_or("offering without id")?;
    let input = PurchaseReservedCacheNodesOfferingInput::builder()
        .reserved_cache_nodes_offering_id(id)
        .cache_node_count(count)
        .reserved_cache_node_id(format!("rn-{id}"));
    let out = input.send_with(client).await?;
    Ok(out.reserved_cache_node().cloned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let node_type = args.first().ok_or("usage: reserved-nodes <node-type> <years> [--buy <count>]")?;
    let years: i32 = args.get(1).ok_or("missing years")?.parse()?;
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    let Some(offering) = cheapest(&client, node_type, years).await? else {
        println!("no offering for {node_type}");
        return Ok(());
    };
    println!("{:?}: {:.4}/h", offering.reserved_cache_nodes_offering_id(), effective_hourly(&offering).unwrap_or_default());
    if let Some(i) = args.iter().position(|a| a == "--buy") {
        let count: i32 = args.get(i + 1).ok_or("--buy needs a count")?.parse()?;
        println!("{:?}", buy(&client, &offering, count).await?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_reserved_cache_nodes_offerings::DescribeReservedCacheNodesOfferingsOutput;
    use aws_sdk_elasticache::operation::purchase_reserved_cache_nodes_offering::{
        PurchaseReservedCacheNodesOfferingError, PurchaseReservedCacheNodesOfferingOutput,
    };
    use aws_sdk_elasticache::types::error::ReservedCacheNodeQuotaExceededFault;
    use aws_sdk_elasticache::types::RecurringCharge;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const ONE_YEAR: i32 = 31_536_000;

    fn offering(id: &str, fixed: f64, usage: f64, hourly: f64) -> ReservedCacheNodesOffering {
        ReservedCacheNodesOffering::builder()
            .reserved_cache_nodes_offering_id(id)
            .cache_node_type("cache.r7g.large")
            .duration(ONE_YEAR)
            .fixed_price(fixed)
            .usage_price(usage)
            .recurring_charges(RecurringCharge::builder().recurring_charge_amount(hourly).recurring_charge_frequency("Hourly").build())
            .build()
    }

    #[test]
    fn hourly_price_spreads_the_upfront_cost() {
        let o = offering("a", 876.0, 0.0, 0.05);
        assert!((effective_hourly(&o).unwrap() - 0.15).abs() < 1e-9);
        assert_eq!(effective_hourly(&ReservedCacheNodesOffering::builder().build()), None);
    }

    #[tokio::test]
    async fn picks_the_cheapest_offering() {
        let list = mock!(Client::describe_reserved_cache_nodes_offerings)
            .match_requests(|req| req.cache_node_type() == Some("cache.r7g.large") && req.duration() == Some("1"))
            .then_output(|| {
                DescribeReservedCacheNodesOfferingsOutput::builder()
                    .reserved_cache_nodes_offerings(offering("all-upfront", 1752.0, 0.0, 0.0))
                    .reserved_cache_nodes_offerings(offering("no-upfront", 0.0, 0.0, 0.25))
                    .reserved_cache_nodes_offerings(offering("partial", 876.0, 0.0, 0.05))
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, [&list]);
        let best = cheapest(&client, "cache.r7g.large", 1).await.unwrap().unwrap();
        assert_eq!(best.reserved_cache_nodes_offering_id(), Some("partial"));
    }

    #[tokio::test]
    async fn buys_with_the_offering_id() {
        let buy_rule = mock!(Client::purchase_reserved_cache_nodes_offering)
            .match_requests(|req| req.reserved_cache_nodes_offering_id() == Some("partial") && req.cache_node_count() == Some(2))
            .then_output(|| {
                PurchaseReservedCacheNodesOfferingOutput::builder()
                    .reserved_cache_node(ReservedCacheNode::builder().reserved_cache_node_id("rn-partial").cache_node_count(2).state("payment-pending").build())
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&buy_rule]);
        let node = buy(&client, &offering("partial", 876.0, 0.0, 0.05), 2).await.unwrap().unwrap();
        assert_eq!(node.state(), Some("payment-pending"));
        assert_eq!(node.cache_node_count(), Some(2));
    }

    #[tokio::test]
    async fn quota_errors_surface() {
        let buy_rule = mock!(Client::purchase_reserved_cache_nodes_offering).then_error(|| {
            PurchaseReservedCacheNodesOfferingError::ReservedCacheNodeQuotaExceededFault(ReservedCacheNodeQuotaExceededFault::builder().message("quota").build())
        });
        let client = mock_client!(aws_sdk_elasticache, [&buy_rule]);
        let err = buy(&client, &offering("partial", 876.0, 0.0, 0.05), 2).await.unwrap_err();
        let sdk = err
            .downcast_ref::<aws_sdk_elasticache::error::SdkError<PurchaseReservedCacheNodesOfferingError>>()
            .expect("the purchase error");
        assert!(sdk.as_service_error().is_some_and(|e| e.is_reserved_cache_node_quota_exceeded_fault()));
    }
}
