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
        assert_eq!(variant.as_str(), value);
    }
    let new = WidgetType::from("brand-new");
    assert!(matches!(new, WidgetType::Unknown(_)), "{new:?}");
    assert_eq!(new.as_str(), "brand-new");
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
