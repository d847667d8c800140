//! What every operation of a generated crate has in the same form, written once: a
//! generated file names its types and calls the macro. (Inherent methods and impls of
//! `std` traits cannot come from generic code in this crate: the orphan rules want them in
//! the crate that defines the type.)

/// The fluent builder's calls of one operation, as aws-sdk-rust names them: `new` (for the
/// client), `as_input`, `send` (async, and blocking with the calling crate's feature
/// `blocking`), `customize`, the input builder's `send_with`, and the
/// [`FluentBuilder`](crate::client::FluentBuilder) impl that names the operation.
///
/// ```text
/// aws_query_runtime::fluent_builder!(CopySnapshotInputBuilder, CopySnapshot, CopySnapshotOutput, CopySnapshotError, crate::Client);
/// ```
#[macro_export]
macro_rules! fluent_builder {
    ($builder:ident, $op:ty, $output:ty, $error:ty, $client:ty) => {
        impl<M> $builder<$crate::client::Fluent<M>> {
            pub(crate) fn new(handle: $crate::client::Handle) -> Self {
                $builder { inner: ::core::default::Default::default(), context: $crate::client::Fluent::new(handle) }
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &Self {
                self
            }
        }

        /// Names the operation this builder sends, for test utilities that start from a
        /// client method (`mock!(Client::<op>)`).
        impl<M> $crate::client::FluentBuilder for $builder<$crate::client::Fluent<M>> {
            type Operation = $op;
        }

        impl $builder<$crate::client::Fluent<$crate::client::Async>> {
            /// Validates the input, sends the request (retrying as configured) and reads the
            /// response.
            pub async fn send(self) -> ::core::result::Result<$output, $crate::sdk_error::SdkError<$error>> {
                self.context.into_handle().call::<$op>(self.inner).await
            }

            /// This call with changes of its own: `mutate_request`, `config_override`,
            /// then `send()`.
            pub fn customize(self) -> $crate::client::CustomizableOperation<$op> {
                $crate::client::CustomizableOperation::new(self.context.into_handle(), self.inner)
            }
        }

        #[cfg(feature = "blocking")]
        impl $builder<$crate::client::Fluent<$crate::client::Blocking>> {
            /// Validates the input, sends the request (retrying as configured) and reads the
            /// response, blocking until done.
            pub fn send(self) -> ::core::result::Result<$output, $crate::sdk_error::SdkError<$error>> {
                self.context.into_handle().block_on::<$op>(self.inner)
            }
        }

        impl $builder {
            /// Sends the input built so far with `client` (as `client.<operation>()…send()`).
            pub async fn send_with(self, client: &$client) -> ::core::result::Result<$output, $crate::sdk_error::SdkError<$error>> {
                client.handle().call::<$op>(self.inner).await
            }
        }
    };
}

/// What an operation's error enum has besides its variants and its
/// [`OperationError`](crate::operation::OperationError) impl: aws-sdk-rust's `generic`,
/// `unhandled` and `meta`, and `Display` and `Error` (their text and source come from
/// `OperationError`). The enum has a variant `Unhandled(Unhandled)`.
///
/// ```text
/// aws_query_runtime::operation_error!(CopySnapshotError);
/// ```
#[macro_export]
macro_rules! operation_error {
    ($name:ident) => {
        impl $name {
            /// An error the model does not describe, with this metadata (for tests:
            /// `generic(ErrorMetadata::builder().code("X").build())`).
            pub fn generic(meta: $crate::error::ErrorMetadata) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(meta))
            }

            /// An error the model does not describe, from its cause.
            pub fn unhandled(source: impl ::core::convert::Into<::std::boxed::Box<dyn ::std::error::Error + ::core::marker::Send + ::core::marker::Sync>>) -> Self {
                Self::Unhandled($crate::error::Unhandled::with_source($crate::error::ErrorMetadata::default(), source))
            }

            /// What the service said: code, message, request id (also through the
            /// `ProvideErrorMetadata` trait).
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                $crate::error::ProvideErrorMetadata::meta(self)
            }
        }

        $crate::error_display!($name);
    };
}

/// `Display` and `Error` of an [`OperationError`](crate::operation::OperationError) enum:
/// the text and the source its trait methods give.
#[macro_export]
macro_rules! error_display {
    ($name:ident) => {
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::operation::OperationError::fmt_error(self, f)
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                $crate::operation::OperationError::error_source(self)
            }
        }
    };
}

/// What every generated enum has besides its variants, `as_str`, `values` and
/// `From<&str>`: aws-sdk-rust's `try_parse`, and `FromStr` (never failing: unknown values
/// are kept), `AsRef<str>` and `Display` (the wire value). The enum has a variant
/// `Unknown(UnknownVariantValue)`.
///
/// ```text
/// aws_query_runtime::enum_impls!(ChangeType);
/// ```
#[macro_export]
macro_rules! enum_impls {
    ($name:ident) => {
        impl $name {
            /// The value if the model defines it, else an error (where `From<&str>` gives
            /// `Unknown`).
            pub fn try_parse(value: &str) -> ::core::result::Result<Self, $crate::error::UnknownVariantError> {
                match <Self as ::core::convert::From<&str>>::from(value) {
                    Self::Unknown(_) => ::core::result::Result::Err($crate::error::UnknownVariantError::new(value)),
                    known => ::core::result::Result::Ok(known),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<$name as ::core::convert::From<&str>>::from(s))
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
