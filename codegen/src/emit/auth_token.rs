//! `src/auth_token.rs` (for crates whose `codegen.toml` sets `auth_token`): the runtime's IAM
//! authentication token generators (`rt::auth_token`), bound to the crate's STS
//! implementation so that credentials that assume a role work as they do for the client. The
//! same for every such crate: a template, with the crate's name in its examples.

use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;

/// The module's text: documentation (with compiled examples for the `redis` and `fred`
/// crates) and the bound generators.
pub fn auth_token_rs(svc: &Service) -> TokenStream {
    let krate = svc.crate_name.replace('-', "_");
    let docs = module_docs(&krate);
    let docs = docs.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! {
        #( #![doc = #docs] )*

        pub use rt::auth_token::elasticache::{Config, ConfigBuilder};
        pub use rt::auth_token::{AuthToken, AuthTokenError, AuthTokenErrorKind, TokenProvider, MAX_EXPIRES_IN};

        /// Makes tokens for one cache and IAM-enabled user, signed with the credentials of a
        /// client configuration (or of the generator's own provider).
        #[derive(Clone, Debug)]
        pub struct AuthTokenGenerator(rt::auth_token::elasticache::AuthTokenGenerator);

        impl AuthTokenGenerator {
            pub fn new(config: Config) -> Self {
                AuthTokenGenerator(rt::auth_token::elasticache::AuthTokenGenerator::new(config))
            }

            /// A token valid from now for the configured time (15 minutes unless set), or
            /// until the signing credentials expire if that is sooner
            /// ([`AuthToken::expires_at`]). Region and credentials: the generator's, else
            /// `config`'s.
            pub async fn auth_token(&self, config: &crate::Config) -> Result<AuthToken, AuthTokenError> {
                self.0.auth_token_with(config, crate::client::SERVICE.sts).await
            }

            /// A [`TokenProvider`] that keeps this generator's token fresh, signing with
            /// `config`'s credentials.
            pub fn token_provider(&self, config: &crate::Config) -> TokenProvider {
                TokenProvider::new(rt::auth_token::Bound::new(self.0.clone(), config.clone(), crate::client::SERVICE.sts))
            }

            pub fn config(&self) -> &Config {
                self.0.config()
            }
        }

        /// RDS and Aurora tokens (IAM database authentication), as boto3's
        /// `generate_db_auth_token` makes them, without an RDS client.
        pub mod rds {
            pub use rt::auth_token::rds::{Config, ConfigBuilder};
            use super::{AuthToken, AuthTokenError, TokenProvider};

            /// Makes tokens for one database user.
            #[derive(Clone, Debug)]
            pub struct AuthTokenGenerator(rt::auth_token::rds::AuthTokenGenerator);

            impl AuthTokenGenerator {
                pub fn new(config: Config) -> Self {
                    AuthTokenGenerator(rt::auth_token::rds::AuthTokenGenerator::new(config))
                }

                /// A token valid from now (15 minutes unless set).
                pub async fn auth_token(&self, config: &crate::Config) -> Result<AuthToken, AuthTokenError> {
                    self.0.auth_token_with(config, crate::client::SERVICE.sts).await
                }

                /// A [`TokenProvider`] that keeps this generator's token fresh.
                pub fn token_provider(&self, config: &crate::Config) -> TokenProvider {
                    TokenProvider::new(rt::auth_token::Bound::new(self.0.clone(), config.clone(), crate::client::SERVICE.sts))
                }

                pub fn config(&self) -> &Config {
                    self.0.config()
                }
            }

            /// A token for `username` at `hostname:port`, with `config`'s region and
            /// credentials: boto3's `generate_db_auth_token(DBHostname, Port, DBUsername)`.
            pub async fn generate_db_auth_token(
                config: &crate::Config,
                hostname: &str,
                port: u16,
                username: &str,
            ) -> Result<AuthToken, AuthTokenError> {
                let settings = Config::builder().hostname(hostname).port(port).username(username).build()?;
                AuthTokenGenerator::new(settings).auth_token(config).await
            }
        }
    }
}

fn module_docs(krate: &str) -> String {
    format!(
        "IAM authentication tokens: the password of an IAM-enabled user of a Valkey or Redis OSS
(7.0 and later) replication group or serverless cache, and of an RDS or Aurora database user
([`rds`]).

A token is a SigV4-presigned `connect` request for the cache and user, valid for up to 15
minutes and never longer than the credentials that signed it
([`AuthToken::expires_at`]). It is checked when a connection opens: an open connection
outlives its token, and each new connection needs a token that has not expired. A
[`TokenProvider`] hands out one token and renews it a minute before it expires; ask it for
every new connection.

Credentials come from the client configuration's provider (the whole default chain:
environment, profile, web identity, container, instance metadata), or from the generator's
own. The user must be created with IAM authentication (`AuthenticationMode` `iam`), its
user id named in an IAM policy allowing `elasticache:Connect` on the cache and the user,
and connections must use TLS.

# With the `redis` crate

```rust,no_run
# async fn f() -> Result<(), Box<dyn std::error::Error>> {{
use {krate}::auth_token::{{AuthTokenGenerator, Config}};

let config = {krate}::Config::from_env().await;
let generator = AuthTokenGenerator::new(Config::builder().cache_name(\"my-cache\").user_id(\"app-user\").build()?);
let tokens = generator.token_provider(&config);

// On every new connection (a token opens connections for 15 minutes):
let token = tokens.token().await?;
let url = format!(
    \"rediss://app-user:{{}}@master.my-cache.xxxxxx.use1.cache.amazonaws.com:6379\",
    token.percent_encoded(),
);
let client = redis::Client::open(url)?;
let mut connection = client.get_multiplexed_async_connection().await?;
let _: () = redis::cmd(\"PING\").query_async(&mut connection).await?;
# Ok(())
# }}
```

# With the `fred` crate

```rust,no_run
# async fn f() -> Result<(), Box<dyn std::error::Error>> {{
use fred::prelude::*;
use {krate}::auth_token::{{AuthTokenGenerator, Config}};

let config = {krate}::Config::from_env().await;
let generator = AuthTokenGenerator::new(
    Config::builder().cache_name(\"my-serverless-cache\").user_id(\"app-user\").serverless(true).build()?,
);
let token = generator.auth_token(&config).await?;
let url = format!(
    \"rediss://app-user:{{}}@my-serverless-cache-xxxxxx.serverless.use1.cache.amazonaws.com:6379\",
    token.percent_encoded(),
);
let client = Builder::from_config(fred::types::config::Config::from_url(&url)?).build()?;
client.init().await?;
# Ok(())
# }}
```

# RDS and Aurora

```rust,no_run
# async fn f() -> Result<(), Box<dyn std::error::Error>> {{
let config = {krate}::Config::from_env().await;
let password = {krate}::auth_token::rds::generate_db_auth_token(
    &config,
    \"mydb.123456789012.us-east-1.rds.amazonaws.com\",
    5432,
    \"iam_user\",
)
.await?;
# let _ = password;
# Ok(())
# }}
```"
    )
}
