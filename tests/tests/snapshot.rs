//! The snapshot crate (`tests/snapshot/`, generated from `tests/data/snapshot/service-2.json`
//! by `cargo xtask regenerate`, checked for drift by `cargo xtask regenerate --check`) does
//! what its edge cases promise: the naming rules, enums, recursion, and the query protocol's
//! list, map, blob and timestamp forms. Expected requests and parsed values are botocore
//! 1.44.8's for the same model and parameters (but for a space, which the runtime encodes as
//! `%20` and botocore as `+`: the same form-encoded value).

use aws_query_runtime::error::ParseError;
use aws_query_runtime::http::test_util::ReplayClient;
use aws_query_runtime::http::HttpResponse;
use aws_query_runtime::operation::Operation;
use aws_query_runtime::validation::ProblemKind;
use snapshot_service::config::{Credentials, Region};
use snapshot_service::operation::create_widget::{CreateWidget, CreateWidgetError, CreateWidgetInput};
use snapshot_service::operation::delete_widget::{DeleteWidget, DeleteWidgetError, DeleteWidgetInput};
use snapshot_service::operation::describe_widgets::{DescribeWidgets, DescribeWidgetsInput};
use snapshot_service::operation::get_widget_tree::GetWidgetTree;
use snapshot_service::primitives::Blob;
use snapshot_service::types::{ResultValue, StringValue, Widget, WidgetNode, WidgetType};
use snapshot_service::error::ProvideErrorMetadata;
use snapshot_service::{Client, Config, RequestId};

fn create_input() -> CreateWidgetInput {
    CreateWidgetInput::builder()
        .widget_name("w-1")
        .r#type(WidgetType::RequiresReboot)
        .build_value("b7")
        .size(3)
        .enabled(true)
        .payload(Blob::new(*b"hi"))
        .label(StringValue::builder().value("Hallo Welt").language("de").build())
        .components("a")
        .components("b")
        .tags("k", "v".to_owned())
        .tags("team", "x&y".to_owned())
        .build()
        .expect("input builders never fail")
}

#[test]
fn names_follow_the_naming_rules() {
    let input = create_input();
    // `Type` is a keyword: a raw identifier; `Build` would shadow the builder's `build`.
    assert_eq!(input.r#type, Some(WidgetType::RequiresReboot));
    assert_eq!(input.build_value(), Some("b7"));
    // Shapes named `String` and `Result` get a `Value` suffix.
    let label: Option<&StringValue> = input.label();
    assert_eq!(label.and_then(StringValue::language), Some("de"));
    let check = ResultValue::builder().code("ok").succeeded(true).build();
    let widget = Widget::builder().last_check(check).build();
    assert_eq!(widget.last_check().and_then(ResultValue::succeeded), Some(true));
    // Acronyms in the plural split as smithy-rs splits them.
    assert_eq!(Widget::builder().preferred_azs("az-1").build().preferred_azs(), ["az-1"]);
}

#[test]
fn names_that_clash_in_rust_get_a_suffix() {
    // `widgetName` beside `WidgetName`, and `SetSize`, whose field would be `Size`'s setter.
    let w = Widget::builder().widget_name("a").widget_name_2("b").size(1).set_size_2(2).build();
    assert_eq!((w.widget_name(), w.widget_name_2()), (Some("a"), Some("b")));
    assert_eq!((w.size(), w.set_size_2()), (Some(1), Some(2)));
    // The shape `widget` beside `Widget`, the operation `deleteWidget` beside `DeleteWidget`.
    let other = snapshot_service::types::Widget2::builder().note("n").build();
    assert_eq!(other.note(), Some("n"));
    let input = snapshot_service::operation::delete_widget_2::DeleteWidgetInput::builder().widget_name("w").build().unwrap();
    assert_eq!(input.widget_name(), Some("w"));
    // `requires_reboot` beside `requires-reboot`.
    assert_eq!(WidgetType::from("requires_reboot"), WidgetType::RequiresReboot2);
    assert_eq!(WidgetType::RequiresReboot2.as_str(), "requires_reboot");
}

#[test]
fn enum_values_round_trip() {
    for (value, variant) in [
        ("standard", WidgetType::Standard),
        ("requires-reboot", WidgetType::RequiresReboot),
        ("1x", WidgetType::V1x),
        // `Unknown` is the catch-all variant's name.
        ("unknown", WidgetType::UnknownValue),
    ] {
        assert_eq!(WidgetType::from(value), variant, "{value}");
        assert_eq!(WidgetType::try_parse(value), Ok(variant.clone()), "{value}");
        assert_eq!(value.parse::<WidgetType>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), value);
        assert_eq!(variant.as_ref(), value);
        assert_eq!(variant.as_str(), value);
    }
    let new = WidgetType::from("brand-new");
    assert!(matches!(new, WidgetType::Unknown(_)), "{new:?}");
    assert_eq!(new.as_str(), "brand-new");
    // `try_parse` refuses what `from` keeps, with aws-sdk-rust's message.
    let err = WidgetType::try_parse("brand-new").unwrap_err();
    assert_eq!(err.value(), "brand-new");
    assert_eq!(err.to_string(), "unknown enum variant: 'brand-new'");
    let _: &snapshot_service::error::UnknownVariantError = &err;
    assert_eq!(WidgetType::values(), ["standard", "requires-reboot", "1x", "unknown", "requires_reboot"]);
}

#[test]
fn recursive_structure_is_boxed_and_builds() {
    let root = WidgetNode::builder().name("root").build();
    let leaf = WidgetNode::builder().name("leaf").parent(root.clone()).build();
    let tree = WidgetNode::builder().name("root").children(leaf).build();
    // The member that closes the cycle is boxed; the list already stores on the heap.
    let parent: &Option<Box<WidgetNode>> = &tree.children()[0].parent;
    assert_eq!(parent.as_deref(), Some(&root));
}

#[test]
fn create_widget_request_is_what_botocore_sends() {
    assert_eq!(
        CreateWidget::request_body(&create_input()),
        "Action=CreateWidget&Version=2024-06-01&WidgetName=w-1&Type=requires-reboot&Build=b7&Size=3&Enabled=true\
         &Payload=aGk%3D&Label.Value=Hallo%20Welt&Label.Language=de&Components.Component.1=a&Components.Component.2=b\
         &Tags.entry.1.Key=k&Tags.entry.1.Value=v&Tags.entry.2.Key=team&Tags.entry.2.Value=x%26y"
    );
    let input = DescribeWidgetsInput::builder().widget_names("a").widget_names("b").max_records(20).build().unwrap();
    assert_eq!(
        DescribeWidgets::request_body(&input),
        "Action=DescribeWidgets&Version=2024-06-01&WidgetNames.WidgetName.1=a&WidgetNames.WidgetName.2=b&MaxRecords=20"
    );
}

#[test]
fn validation_reports_required_members_and_limits() {
    let problems = |e: aws_query_runtime::validation::ValidationError| -> Vec<(String, ProblemKind)> {
        e.problems().iter().map(|p| (p.path.clone(), p.kind.clone())).collect()
    };
    let empty = CreateWidget::validate(&CreateWidgetInput::builder().size(11).build().unwrap()).expect_err("nothing set");
    assert_eq!(
        problems(empty),
        [
            ("WidgetName".to_owned(), ProblemKind::Missing),
            ("Type".to_owned(), ProblemKind::Missing),
            ("Size".to_owned(), ProblemKind::TooLarge { value: 11.0, max: 10.0 }),
        ]
    );
    let few = DescribeWidgets::validate(&DescribeWidgetsInput::builder().max_records(5).build().unwrap()).expect_err("below 20");
    assert_eq!(problems(few), [("MaxRecords".to_owned(), ProblemKind::TooSmall { value: 5.0, min: 20.0 })]);
    assert!(CreateWidget::validate(&create_input()).is_ok());
}

#[test]
fn flattened_recursive_response_parses() {
    let body = br#"<GetWidgetTreeResponse xmlns="http://widgets.example.com/doc/2024-06-01/">
  <GetWidgetTreeResult>
    <Root>
      <Name>root</Name>
      <Node><Name>a</Name><Parent><Name>root</Name></Parent></Node>
      <Node><Name>b</Name><Node><Name>b1</Name></Node></Node>
    </Root>
  </GetWidgetTreeResult>
  <ResponseMetadata><RequestId>req-tree</RequestId></ResponseMetadata>
</GetWidgetTreeResponse>"#;
    let out = GetWidgetTree::parse_response(&HttpResponse::new(200, body.to_vec())).expect("parses");
    let root = out.root().expect("root");
    let names: Vec<_> = root.children().iter().map(WidgetNode::name).collect();
    assert_eq!(names, [Some("a"), Some("b")]);
    assert_eq!(root.children()[0].parent().and_then(WidgetNode::name), Some("root"));
    assert_eq!(root.children()[1].children()[0].name(), Some("b1"));
    assert_eq!(out.request_id(), Some("req-tree"));
}

#[test]
fn every_member_kind_parses() {
    let body = br#"<DescribeWidgetsResponse xmlns="http://widgets.example.com/doc/2024-06-01/">
  <DescribeWidgetsResult>
    <Marker>next</Marker>
    <Widgets>
      <Widget>
        <WidgetName>w-1</WidgetName>
        <Type>1x</Type>
        <Size>3</Size>
        <Enabled>true</Enabled>
        <CreatedAt>2024-06-01T12:00:00Z</CreatedAt>
        <Payload>aGk=</Payload>
        <Label><Value>Hallo</Value><Language>de</Language></Label>
        <Components><Component>a</Component><Component>b</Component></Components>
        <Tags><entry><Key>k</Key><Value>v</Value></entry></Tags>
        <LastCheck><Code>ok</Code><Succeeded>false</Succeeded></LastCheck>
      </Widget>
    </Widgets>
  </DescribeWidgetsResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</DescribeWidgetsResponse>"#;
    let out = DescribeWidgets::parse_response(&HttpResponse::new(200, body.to_vec())).expect("parses");
    assert_eq!(out.marker(), Some("next"));
    let [w] = out.widgets() else { panic!("one widget: {:?}", out.widgets()) };
    assert_eq!(w.r#type(), Some(&WidgetType::V1x));
    assert_eq!((w.size(), w.enabled()), (Some(3), Some(true)));
    assert_eq!(w.created_at().map(|t| t.secs()), Some(1_717_243_200));
    assert_eq!(w.payload().map(Blob::as_slice), Some(&b"hi"[..]));
    assert_eq!(w.label().and_then(StringValue::value), Some("Hallo"));
    assert_eq!(w.components(), ["a", "b"]);
    let tags: Vec<(&str, &str)> = w.tags().into_iter().flatten().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("k", "v")]);
    assert_eq!(w.last_check().and_then(ResultValue::succeeded), Some(false));
}

fn error_response(status: u16, code: &str) -> HttpResponse {
    let body = format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>no: {code}</Message></Error>\
         <RequestId>req-err</RequestId></ErrorResponse>"
    );
    HttpResponse::new(status, body.into_bytes())
}

#[test]
fn error_codes_select_the_modeled_errors() {
    // `error.code` differs from the shape name: the code is what the service sends.
    let Err(ParseError::Service(e)) = DeleteWidget::parse_response(&error_response(409, "WidgetInUse")) else {
        panic!("a service error")
    };
    assert!(matches!(&e, DeleteWidgetError::WidgetInUseFault(_)), "{e:?}");
    assert_eq!((e.message(), e.request_id()), (Some("no: WidgetInUse"), Some("req-err")));
    // Without `error.code`, the shape name is the code.
    let Err(ParseError::Service(e)) = CreateWidget::parse_response(&error_response(400, "InvalidParameterValueException"))
    else {
        panic!("a service error")
    };
    assert!(matches!(e, CreateWidgetError::InvalidParameterValueException(_)), "{e:?}");
    // The shape name is not a code when the model gives one.
    let Err(ParseError::Service(e)) = DeleteWidget::parse_response(&error_response(404, "WidgetNotFoundFault")) else {
        panic!("a service error")
    };
    assert!(matches!(e, DeleteWidgetError::Unhandled(_)), "{e:?}");
}

#[tokio::test]
async fn the_client_sends_through_the_fluent_builders() {
    let replay = ReplayClient::new([HttpResponse::new(
        200,
        b"<DeleteWidgetResponse><ResponseMetadata><RequestId>req-del</RequestId></ResponseMetadata></DeleteWidgetResponse>"
            .to_vec(),
    )]);
    let config = Config::builder()
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", None, None, "static"))
        .endpoint_url("https://widgets.example.com")
        .http_client(replay.clone())
        .build();
    let out = Client::from_conf(config).delete_widget().widget_name("w-1").send().await.expect("deleted");
    assert_eq!(out.request_id(), Some("req-del"));
    let request = replay.last_request().expect("one request");
    assert_eq!(request.uri(), "https://widgets.example.com/");
    assert_eq!(request.body_str(), "Action=DeleteWidget&Version=2024-06-01&WidgetName=w-1");
    let input = DeleteWidgetInput::builder().build().unwrap();
    assert!(DeleteWidget::validate(&input).is_err(), "WidgetName is required");
}

/// A client on canned responses, for the paginator and waiter rules below.
fn replay_client(replay: &ReplayClient) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("eu-west-1"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", None, None, "static"))
            .http_client(replay.clone())
            .build(),
    )
}

fn jobs_page(jobs: &[(&str, &str)], truncated: Option<bool>, progress: &[(&str, &str)]) -> HttpResponse {
    let jobs: String =
        jobs.iter().map(|(id, status)| format!("<member><JobId>{id}</JobId><Status>{status}</Status></member>")).collect();
    let truncated = truncated.map(|t| format!("<IsTruncated>{t}</IsTruncated>")).unwrap_or_default();
    let progress: String = progress
        .iter()
        .map(|(k, state)| format!("<entry><key>{k}</key><value><State>{state}</State></value></entry>"))
        .collect();
    HttpResponse::new(
        200,
        format!(
            "<ListJobsResponse><ListJobsResult><Jobs>{jobs}</Jobs>{truncated}<Progress>{progress}</Progress></ListJobsResult>\
             </ListJobsResponse>"
        ),
    )
}

/// `output_token: Jobs[-1].JobId`: the next page starts after the last job; `more_results:
/// IsTruncated` ends the pages even when a token is there.
#[tokio::test]
async fn a_paginator_follows_an_indexed_token_until_more_results_is_false() {
    use futures_util::StreamExt;
    let replay = ReplayClient::new([
        jobs_page(&[("j1", "done"), ("j2", "done")], Some(true), &[]),
        jobs_page(&[("j3", "done")], Some(true), &[]),
        jobs_page(&[("j4", "done")], Some(false), &[]),
    ]);
    let ids: Vec<String> = replay_client(&replay)
        .list_jobs()
        .into_paginator()
        .page_size(20)
        .items()
        .send()
        .map(|job| job.expect("a job").job_id().unwrap_or_default().to_owned())
        .collect()
        .await;
    assert_eq!(ids, ["j1", "j2", "j3", "j4"]);
    let bodies: Vec<String> = replay.requests().iter().map(|r| r.body_str().to_owned()).collect();
    let page = |marker: &str| format!("Action=ListJobs&Version=2024-06-01{marker}&MaxRecords=20");
    assert_eq!(bodies, [page(""), page("&Marker=j2"), page("&Marker=j3")]);
}

/// A string result key: each page's `LogData` is one item (botocore concatenates them); a
/// list key beside it and a number key have their own items; `LogName` is not aggregated.
#[tokio::test]
async fn string_and_number_result_keys_give_one_item_per_page() {
    use futures_util::StreamExt;
    let page = |data: &str, lines: &[&str], pending: bool, marker: &str| {
        let lines: String = lines.iter().map(|l| format!("<Component>{l}</Component>")).collect();
        HttpResponse::new(
            200,
            format!(
                "<DownloadLogResponse><DownloadLogResult><LogName>app.log</LogName><LogData>{data}</LogData>\
                 <Lines>{lines}</Lines><LineCount>{}</LineCount><Marker>{marker}</Marker><DataPending>{pending}</DataPending>\
                 </DownloadLogResult></DownloadLogResponse>",
                lines.matches("<Component>").count()
            ),
        )
    };
    let pages = || [page("ab", &["a"], true, "m1"), page("cd", &["b", "c"], true, "m2"), page("ef", &[], false, "m3")];
    let client = |replay: &ReplayClient| replay_client(replay).download_log().log_name("app.log").into_paginator();

    let replay = ReplayClient::new(pages());
    let data: Vec<String> = client(&replay).items().send().map(|d| d.expect("a page")).collect().await;
    assert_eq!(data.concat(), "abcdef", "botocore's result for LogData is the pages' text joined");
    let bodies: Vec<String> = replay.requests().iter().map(|r| r.body_str().to_owned()).collect();
    let base = "Action=DownloadLog&Version=2024-06-01&LogName=app.log";
    assert_eq!(bodies, [base.to_owned(), format!("{base}&Marker=m1"), format!("{base}&Marker=m2")], "m3 is not followed");

    let replay = ReplayClient::new(pages());
    let lines: Vec<String> = client(&replay).lines().send().map(|l| l.expect("a line")).collect().await;
    assert_eq!(lines, ["a", "b", "c"]);
    let replay = ReplayClient::new(pages());
    let counts: Vec<i32> = client(&replay).line_count().send().map(|n| n.expect("a count")).collect().await;
    assert_eq!(counts, [1, 2, 0]);
}

/// The waiter's JMESPath: a value projection over a map (`Progress.*.State`), a filter with
/// a comparator inside `length()`, `contains()`, negative and zero indexes.
#[tokio::test]
async fn waiter_expressions_over_maps_filters_and_indexes() {
    use snapshot_service::client::Waiters;
    use aws_query_runtime::waiter::WaiterError;
    use std::time::Duration;
    let fast = Duration::from_millis(1);
    let wait = |replay: &ReplayClient| {
        let client = replay_client(replay);
        async move { client.wait_until_jobs_done().min_delay(fast).max_delay(fast).wait(Duration::from_secs(5)).await }
    };

    // `Jobs[-1].Status == "finished"` reads the last job, not the first; `pathAll` over
    // the `Progress` map's values needs every value `done`.
    let replay = ReplayClient::new([
        jobs_page(&[("j1", "finished"), ("j2", "running")], None, &[("a", "done"), ("b", "running")]),
        jobs_page(&[("j1", "running"), ("j2", "finished")], None, &[("a", "running")]),
    ]);
    wait(&replay).await.expect("the last job finished");
    assert_eq!(replay.requests().len(), 2);
    let replay = ReplayClient::new([
        jobs_page(&[("j1", "running")], None, &[("a", "done"), ("b", "running")]),
        jobs_page(&[("j1", "running")], None, &[("a", "done"), ("b", "done")]),
    ]);
    wait(&replay).await.expect("every value done");
    assert_eq!(replay.requests().len(), 2);

    // A filter projection: one failed job among others fails the wait.
    let replay = ReplayClient::new([jobs_page(&[("j1", "done"), ("j2", "failed")], None, &[("a", "running")])]);
    let err = wait(&replay).await.expect_err("a failed job");
    let WaiterError::FailureState(failure) = &err else { panic!("{err:?}") };
    assert_eq!(failure.acceptor(), "path length(Jobs[?Status == 'failed']) > `0` == true");

    // `contains()` over a projection.
    let replay = ReplayClient::new([jobs_page(&[("j1", "cancelled")], None, &[("a", "running")])]);
    let err = wait(&replay).await.expect_err("a cancelled job");
    let WaiterError::FailureState(failure) = &err else { panic!("{err:?}") };
    assert_eq!(failure.acceptor(), "path contains(Jobs[].Status, 'cancelled') == true");
}
