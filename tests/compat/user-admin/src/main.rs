//! Manages RBAC users for Valkey/Redis OSS: creates an application user with a password or IAM
//! authentication, adds it to a user group, and lists users whose authentication is weaker
//! than the policy (no password).
//!
//! usage: user-admin create <user-id> <group-id> (--iam | --password PW)
//!        user-admin audit

use aws_sdk_elasticache::operation::create_user::CreateUserInput;
use aws_sdk_elasticache::types::{AuthenticationMode, AuthenticationType, InputAuthenticationType, User};
use aws_sdk_elasticache::Client;

pub enum Auth {
    Iam,
    Password(String),
}

pub fn authentication_mode(auth: &Auth) -> AuthenticationMode {
    match auth {
        Auth::Iam => AuthenticationMode::builder().r#type(InputAuthenticationType::Iam).build(),
        Auth::Password(pw) => AuthenticationMode::builder().r#type(InputAuthenticationType::Password).passwords(pw).build(),
    }
}

/// The request, validated locally before anything is sent.
pub fn create_request(user_id: &str, auth: &Auth) -> Result<CreateUserInput, aws_sdk_elasticache::error::BuildError> {
    CreateUserInput::builder()
        .user_id(user_id)
        .user_name(user_id)
        .engine("valkey")
        .access_string("on ~app:* +@read +@write")
        .authentication_mode(authentication_mode(auth))
        .build()
}

pub async fn create(client: &Client, user_id: &str, group: &str, auth: &Auth) -> Result<String, aws_sdk_elasticache::Error> {
    let input = create_request(user_id, auth)?;
    let user = client
        .create_user()
        .set_user_id(input.user_id().map(str::to_owned))
        .set_user_name(input.user_name().map(str::to_owned))
        .set_engine(input.engine().map(str::to_owned))
        .set_access_string(input.access_string().map(str::to_owned))
        .set_authentication_mode(input.authentication_mode().cloned())
        .send()
        .await?;
    client.modify_user_group().user_group_id(group).user_ids_to_add(user_id).send().await?;
    Ok(user.status().unwrap_or("unknown").to_owned())
}

pub fn weak(user: &User) -> bool {
    matches!(user.authentication().and_then(|a| a.r#type()), Some(AuthenticationType::NoPassword) | None)
}

pub async fn audit(client: &Client) -> Result<Vec<String>, aws_sdk_elasticache::Error> {
    let users: Vec<User> = client.describe_users().engine("valkey").into_paginator().items().send().try_collect().await?;
    Ok(users.iter().filter(|u| weak(u)).filter_map(|u| u.user_id().map(str::to_owned)).collect())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    match args.first().map(String::as_str) {
        Some("create") if args.len() >= 4 => {
            let auth = match args[3].as_str() {
                "--iam" => Auth::Iam,
                "--password" => Auth::Password(args.get(4).ok_or("--password needs a value")?.clone()),
                other => return Err(format!("unknown option {other}").into()),
            };
            println!("{}", create(&client, &args[1], &args[2], &auth).await?);
        }
        Some("audit") => audit(&client).await?.iter().for_each(|u| println!("weak: {u}")),
        _ => return Err("usage: user-admin create <user> <group> (--iam | --password PW) | audit".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::create_user::{CreateUserError, CreateUserOutput};
    use aws_sdk_elasticache::operation::describe_users::DescribeUsersOutput;
    use aws_sdk_elasticache::operation::modify_user_group::ModifyUserGroupOutput;
    use aws_sdk_elasticache::types::error::UserAlreadyExistsFault;
    use aws_sdk_elasticache::types::Authentication;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn user(id: &str, auth: Option<AuthenticationType>) -> User {
        let mut b = User::builder().user_id(id).status("active");
        if let Some(t) = auth {
            b = b.authentication(Authentication::builder().r#type(t).build());
        }
        b.build()
    }

    #[test]
    fn authentication_modes() {
        let iam = authentication_mode(&Auth::Iam);
        assert_eq!(iam.r#type(), Some(&InputAuthenticationType::Iam));
        assert!(iam.passwords().is_empty());
        let pw = authentication_mode(&Auth::Password("correct horse battery staple".into()));
        assert_eq!(pw.passwords(), ["correct horse battery staple".to_owned()]);
        assert_eq!(InputAuthenticationType::NoPassword.as_str(), "no-password-required");
        assert_eq!(AuthenticationType::from("no-password"), AuthenticationType::NoPassword);
    }

    #[test]
    fn requests_build_locally() {
        let input = create_request("app", &Auth::Iam).unwrap();
        assert_eq!(input.engine(), Some("valkey"));
        assert_eq!(input.authentication_mode().and_then(|m| m.r#type()), Some(&InputAuthenticationType::Iam));
    }

    #[tokio::test]
    async fn creates_and_joins_the_group() {
        let create_rule = mock!(Client::create_user)
            .match_requests(|req| req.user_id() == Some("app") && req.authentication_mode().and_then(|m| m.r#type()) == Some(&InputAuthenticationType::Password))
            .then_output(|| CreateUserOutput::builder().user_id("app").status("creating").build());
        let join = mock!(Client::modify_user_group)
            .match_requests(|req| req.user_group_id() == Some("apps") && req.user_ids_to_add() == ["app".to_owned()])
            .then_output(|| ModifyUserGroupOutput::builder().user_group_id("apps").status("modifying").build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&create_rule, &join]);
        let status = create(&client, "app", "apps", &Auth::Password("correct horse battery staple".into())).await.unwrap();
        assert_eq!(status, "creating");
        assert_eq!(join.num_calls(), 1);
    }

    #[tokio::test]
    async fn an_existing_user_stops_before_the_group_change() {
        let create_rule = mock!(Client::create_user)
            .then_error(|| CreateUserError::UserAlreadyExistsFault(UserAlreadyExistsFault::builder().message("exists").build()));
        let join = mock!(Client::modify_user_group).then_output(|| ModifyUserGroupOutput::builder().build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&create_rule, &join]);
        let err = create(&client, "app", "apps", &Auth::Iam).await.unwrap_err();
        assert!(matches!(err, aws_sdk_elasticache::Error::UserAlreadyExistsFault(_)));
        assert_eq!(join.num_calls(), 0);
    }

    #[tokio::test]
    async fn audit_lists_users_without_passwords() {
        let list = mock!(Client::describe_users).match_requests(|req| req.engine() == Some("valkey")).then_output(|| {
            DescribeUsersOutput::builder()
                .users(user("default", Some(AuthenticationType::NoPassword)))
                .users(user("app", Some(AuthenticationType::Password)))
                .users(user("svc", Some(AuthenticationType::Iam)))
                .users(user("legacy", None))
                .build()
        });
        let client = mock_client!(aws_sdk_elasticache, [&list]);
        assert_eq!(audit(&client).await.unwrap(), vec!["default".to_owned(), "legacy".to_owned()]);
    }
}
