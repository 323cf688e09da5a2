//! Crate-level files: Cargo.toml, README.md, the crate root, `client`, `config`, `error`,
//! `primitives`, `operation`, `test_util`, the endpoint module and, for a vendored runtime, the
//! runtime's sources.

use askama::Template;
use proc_macro2::TokenStream;
use quote::quote;

use super::auth_docs::{auth_docs, config_example};
use super::capabilities::ManifestTables;
use super::tokens::{doc_lines, ident, inner_doc_lines};
use super::{EmitInputs, File, RuntimeDependency};
use crate::error::{CodegenError, Result};
use crate::ir::names::unraw;
use crate::ir::{AuthSchemeIr, ServiceIr};
use crate::output::FileKind;

#[derive(Template)]
#[template(path = "Cargo.toml.txt", escape = "none")]
struct CargoToml<'a> {
    crate_name: &'a str,
    crate_version: &'a str,
    rust_version: &'a str,
    title: &'a str,
    features: String,
    dependencies: String,
    dev_dependencies: String,
    examples: String,
}

#[derive(Template)]
#[template(path = "README.md.txt", escape = "none")]
struct Readme<'a> {
    crate_name: &'a str,
    lib_name: &'a str,
    title: &'a str,
    rust_version: &'a str,
    api_version: &'a str,
    operation_count: usize,
    operation_list: String,
    left_out: String,
    config_example: String,
    auth_docs: String,
    endpoint_variable: String,
    services_key: String,
    first_operation: String,
    pagination: String,
    event_streams: String,
    examples: String,
    switching: String,
}

/// Every crate-level file.
pub fn files(ir: &ServiceIr, inputs: &EmitInputs) -> Result<Vec<File>> {
    let tables = super::capabilities::manifest_tables(ir, &inputs.runtime)?;
    let mut files = vec![
        File::text(
            "Cargo.toml",
            FileKind::Toml,
            cargo_toml(ir, inputs, &tables)?,
        ),
        File::text(
            "README.md",
            FileKind::Markdown,
            readme(ir, &inputs.examples, &tables.rust_version)?,
        ),
        File::rust("src/lib.rs", lib_rs(ir, &inputs.runtime)),
        File::rust("src/client.rs", client_rs(ir)),
        File::rust("src/config.rs", config_rs(ir)),
        File::rust("src/error.rs", error_rs()),
        File::rust(
            "src/service_error.rs",
            super::service_error::service_error_rs(ir),
        ),
        File::rust("src/primitives.rs", primitives_rs(ir)),
        File::rust("src/operation.rs", operation_rs(ir)),
    ];
    files.extend(endpoint_files(ir));
    if let Some(changelog) = &inputs.changelog {
        files.push(File::text(
            "CHANGELOG.md",
            FileKind::Markdown,
            changelog.clone(),
        ));
    }
    for example in inputs.examples.iter().filter(|e| e.path.is_none()) {
        files.push(File::text(
            format!("examples/{}.rs", example.name),
            FileKind::Rust,
            example.source.clone(),
        ));
    }
    if inputs.runtime == RuntimeDependency::Vendored {
        // Formatted by the writer like the rest: the vendored sources' paths were rewritten.
        for (path, source) in super::vendor::runtime_files(ir)? {
            files.push(File::text(
                format!("src/runtime/{path}"),
                FileKind::Rust,
                source,
            ));
        }
    }
    Ok(files)
}

/// A manifest table rendered as `key = value` lines with inline tables.
fn render_table(table: &toml::Table) -> String {
    let mut out = String::new();
    for (key, value) in table {
        out.push_str(key);
        out.push_str(" = ");
        out.push_str(&inline_value(value));
        out.push('\n');
    }
    out
}

/// A TOML value on one line (tables inline).
fn inline_value(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{k} = {}", inline_value(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_value).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// `[[example]]` tables for examples referenced by path, or that need features or carry tests.
fn example_tables(examples: &[super::Example]) -> String {
    let mut out = String::new();
    for example in examples {
        let features: Vec<String> = example
            .source
            .lines()
            .find_map(|line| line.trim().strip_prefix("//! Features:"))
            .map(|list| {
                list.split(',')
                    .map(|f| format!("{:?}", f.trim()))
                    .filter(|f| f != "\"\"")
                    .collect()
            })
            .unwrap_or_default();
        let has_tests = example.source.contains("#[cfg(test)]");
        if features.is_empty() && !has_tests && example.path.is_none() {
            continue;
        }
        out.push_str(&format!("\n[[example]]\nname = {:?}\n", example.name));
        if let Some(path) = &example.path {
            out.push_str(&format!("path = {:?}\n", path));
        }
        if !features.is_empty() {
            out.push_str(&format!("required-features = [{}]\n", features.join(", ")));
        }
        if has_tests {
            out.push_str("test = true\n");
        }
    }
    out
}

fn cargo_toml(ir: &ServiceIr, inputs: &EmitInputs, tables: &ManifestTables) -> Result<String> {
    let template = CargoToml {
        examples: example_tables(&inputs.examples),
        crate_name: &ir.crate_name,
        crate_version: &ir.crate_version,
        rust_version: &tables.rust_version,
        title: &ir.title,
        features: render_table(&tables.features),
        dependencies: render_table(&tables.dependencies),
        dev_dependencies: render_table(&tables.dev_dependencies),
    };
    let mut text = template.render().map_err(|err| CodegenError::Emit {
        file: "Cargo.toml".to_owned(),
        message: err.to_string(),
    })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn readme(ir: &ServiceIr, examples: &[super::Example], rust_version: &str) -> Result<String> {
    let service_key: String = ir
        .sdk_id
        .trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    let first_operation = ir
        .operations
        .first()
        .map(|op| unraw(&op.module).to_owned())
        .unwrap_or_default();
    let operation_list = ir
        .operations
        .iter()
        .map(|op| format!("- `{}()` ({})\n", unraw(&op.module), op.wire_name))
        .collect::<String>();
    Readme {
        crate_name: &ir.crate_name,
        lib_name: &ir.lib_name(),
        title: &ir.title,
        rust_version,
        api_version: &ir.api_version,
        operation_count: ir.operations.len(),
        operation_list,
        left_out: left_out_docs(ir)
            .map(|text| format!("\n{text}\n"))
            .unwrap_or_default(),
        config_example: {
            let (uses, lines) = config_example(ir);
            let uses = match uses {
                Some(names) => format!("use {}::config::{names};\n\n", ir.lib_name()),
                None => "\n".to_owned(),
            };
            format!(
                "{uses}# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet config = Config::builder()\n{lines}    .build();\n"
            )
        },
        auth_docs: auth_docs(ir).trim_end().to_owned(),
        endpoint_variable: format!("AWS_ENDPOINT_URL_{}", service_key.to_ascii_uppercase()),
        services_key: service_key.to_ascii_lowercase(),
        first_operation,
        pagination: super::readme_sections::pagination(ir),
        event_streams: super::readme_sections::event_streams(ir, "##"),
        examples: super::readme_sections::examples(examples),
        switching: super::readme_sections::switching(ir),
    }
    .render()
    .map_err(|err| CodegenError::Emit {
        file: "README.md".to_owned(),
        message: err.to_string(),
    })
}

/// The "Operations not in this crate" section of the README and the crate docs, when the
/// generator left operations out.
fn left_out_docs(ir: &ServiceIr) -> Option<String> {
    if ir.left_out.is_empty() {
        return None;
    }
    let mut text = format!(
        "## Operations not in this crate\n\nThe model has {} more operation{} that need{} \
         something this generator does not implement yet; the crate leaves {} out, with the \
         shapes only they use:\n\n",
        ir.left_out.len(),
        if ir.left_out.len() == 1 { "" } else { "s" },
        if ir.left_out.len() == 1 { "s" } else { "" },
        if ir.left_out.len() == 1 { "it" } else { "them" },
    );
    for op in &ir.left_out {
        text.push_str(&format!("- `{}`: {}\n", op.name, op.reason));
    }
    Some(text.trim_end().to_owned())
}

fn lib_rs(ir: &ServiceIr, runtime: &RuntimeDependency) -> TokenStream {
    let mut doc = format!("# {}\n\n", ir.title);
    if let Some(service_docs) = &ir.docs {
        doc.push_str(service_docs);
        doc.push_str("\n\n");
    }
    let what = if ir.auth.first() == Some(&AuthSchemeIr::SigV4) {
        "region and credentials, or let the client find them in the environment"
    } else {
        "see the [`config`] module for authentication"
    };
    doc.push_str(&format!(
        "## Getting started\n\nBuild a [`Config`] ({what}), make a [`Client`], and call operations through \
         their fluent builders:\n\n```no_run\n"
    ));
    let first_op = ir
        .operations
        .first()
        .map(|op| unraw(&op.module).to_owned())
        .unwrap_or_default();
    let (uses, lines) = config_example(ir);
    let uses = uses
        .map(|names| format!("use {}::config::{names};\n\n", ir.lib_name()))
        .unwrap_or_default();
    doc.push_str(&format!(
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{uses}let config = {krate}::Config::builder()\n{lines}    .build();\nlet client = {krate}::Client::from_conf(config);\nlet request = client.{first_op}();\n# let _ = request;\n# Ok(())\n# }}\n```\n\n",
        krate = ir.lib_name()
    ));
    doc.push_str(
        "Errors are [`error::SdkError`] values wrapping each operation's error enum, and [`Error`] gathers every \
         error of the service (`?` converts into it); paginated operations have `into_paginator()`. See the \
         crate's README for configuration, retries, timeouts, features and switching from the official AWS SDK.",
    );
    let streams = super::readme_sections::event_streams(ir, "##");
    if !streams.is_empty() {
        doc.push_str("\n\n");
        doc.push_str(streams.trim());
    }
    if let Some(left_out) = left_out_docs(ir) {
        doc.push_str("\n\n");
        doc.push_str(&left_out);
    }
    let doc = inner_doc_lines(&doc);
    let service_id = &ir.sdk_id;
    let signing_name = ir.signing_name.clone().unwrap_or_default();
    let crate_name = &ir.crate_name;
    let api_version = &ir.api_version;
    let wire = if ir.structures.is_empty() && ir.unions.is_empty() && ir.errors.is_empty() {
        quote!()
    } else {
        quote!(
            mod wire;
        )
    };
    let test_util_doc = inner_doc_lines(&test_util_doc(ir));
    let blocking_doc = inner_doc_lines(&blocking_doc(ir));
    let runtime = match runtime {
        RuntimeDependency::Crate { .. } => quote! {
            /// The runtime's facade for generated code.
            pub(crate) use smithy_rust_runtime::codegen as rt;
        },
        RuntimeDependency::Vendored => quote! {
            /// A copy of the client runtime (`smithy-rust-runtime`), so that this crate depends on
            /// no runtime crate. Not part of the crate's API: use the items that `config`,
            /// `error`, `primitives` and `test_util` re-export.
            #[doc(hidden)]
            pub mod runtime;
            /// The runtime's facade for generated code.
            pub(crate) use runtime::codegen as rt;
        },
    };
    quote! {
        #doc

        #[cfg(feature = "blocking")]
        pub mod blocking {
            #blocking_doc
            pub use crate::rt::blocking::{kind, BlockingError, Items, Pages, SendBlocking};
        }
        pub mod client;
        pub mod config;
        pub mod endpoint;
        pub mod error;
        pub mod operation;
        pub mod primitives;
        mod service_error;
        pub mod types;
        #wire

        #[cfg(feature = "test-util")]
        pub mod test_util {
            #test_util_doc
            pub use crate::rt::test_util::*;
        }

        /// The README's examples, compiled as doctests.
        #[doc = include_str!("../README.md")]
        #[cfg(doctest)]
        pub struct ReadmeDoctests;

        #runtime

        pub use client::Client;
        pub use config::Config;
        pub use service_error::Error;

        /// What the runtime needs to know about the service: its ids, versions and endpoint
        /// resolver.
        #[doc(hidden)]
        pub static SERVICE: crate::rt::ServiceMeta = crate::rt::ServiceMeta {
            service_id: #service_id,
            signing_name: #signing_name,
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            api_version: #api_version,
            resolve_endpoint: crate::endpoint::resolve_call,
        };
    }
}

/// The `test_util` module's documentation, with an example stubbing the first operation.
/// The docs of the `blocking` module, with an example that calls the first operation and
/// pages through the first paginated one.
fn blocking_doc(ir: &ServiceIr) -> String {
    let mut doc = String::from(
        "Blocking calls (feature `blocking`), for programs without an async runtime: with \
         [`SendBlocking`] in scope, every call the async client sends with `.send().await` is \
         sent with `.send_blocking()`, and a paginator's `.send_blocking()` gives an iterator of \
         pages ([`Pages`]), its `.items().send_blocking()` an iterator of items ([`Items`]).\n\n\
         Calls run on one small runtime shared by the whole process, so pooled connections are \
         reused between calls. A blocking call may run on any thread except one of a \
         current-thread tokio runtime, where it fails at once with a [`BlockingError`] instead \
         of deadlocking (see [`SendBlocking`]).",
    );
    if ir.has_event_streams() {
        doc.push_str(
            "\n\nAn operation with an event stream is sent the same way, but its events are \
             sent and received while the call runs: reading an output stream \
             (`recv().await`) needs an async context of your own, so these operations are \
             meant for the async client.",
        );
    }
    let krate = ir.lib_name();
    let mut body = String::new();
    if let Some(op) = ir.operations.first() {
        body.push_str(&format!(
            "let output = client.{}().send_blocking()?;\n# let _ = output;\n",
            unraw(&op.module)
        ));
    }
    let paginated = ir
        .operations
        .iter()
        .find_map(|op| Some((op, super::paginator::paginator_names(op)?)));
    if let Some((op, names)) = paginated {
        let module = unraw(&op.module);
        body.push_str(&format!(
            "for page in client.{module}().into_paginator().send_blocking() {{\n\
             \x20   let page = page?;\n\
             \x20   # let _ = page;\n\
             }}\n"
        ));
        if names.items.is_some() {
            body.push_str(&format!(
                "let items = client\n\
                 \x20   .{module}()\n\
                 \x20   .into_paginator()\n\
                 \x20   .items()\n\
                 \x20   .send_blocking()\n\
                 \x20   .collect::<Result<Vec<_>, _>>()?;\n\
                 # let _ = items;\n"
            ));
        }
    }
    if !body.is_empty() {
        doc.push_str(&format!(
            "\n\n```no_run\n\
             use {krate}::blocking::SendBlocking;\n\n\
             let client = {krate}::Client::from_conf({krate}::Config::from_env());\n\
             {body}\
             # Ok::<(), Box<dyn std::error::Error>>(())\n\
             ```"
        ));
    }
    doc
}

fn test_util_doc(ir: &ServiceIr) -> String {
    let mut doc = String::from(
        "Test doubles (feature `test-util`): a capture/replay HTTP client ([`ReplayClient`]) and \
         typed per-operation stubs ([`Stubs`]) that answer calls without any HTTP.",
    );
    if let Some(op) = ir.operations.first() {
        let krate = ir.lib_name();
        let module = unraw(&op.module);
        let op_ty = &op.name;
        let prefix = &op.prefix;
        doc.push_str(&format!(
            "\n\nStubs are checked in order; each `then_*` answers one matching call:\n\n```\n\
             use {krate}::error::{{ErrorMetadata, Unhandled}};\n\
             use {krate}::operation::{module}::{{{op_ty}, {prefix}Error}};\n\
             use {krate}::test_util::Stubs;\n\n\
             let stubs = Stubs::new();\n\
             stubs.on::<{op_ty}>().then_error({prefix}Error::Unhandled(Unhandled::new(\n\
             \x20   \"slow down\".into(),\n\
             \x20   ErrorMetadata::new().with_code(Some(\"ThrottlingException\".into())),\n\
             )));\n\
             let config = {krate}::Config::builder().stubs(stubs.clone()).build();\n\
             let client = {krate}::Client::from_conf(config);\n\
             # let _ = client;\n\
             assert!(stubs.calls().is_empty());\n\
             ```"
        ));
    }
    doc
}

fn client_rs(ir: &ServiceIr) -> TokenStream {
    let methods = ir.operations.iter().map(|op| {
        let method = ident(&op.module);
        let module = ident(&op.module);
        let fluent = quote::format_ident!("{}FluentBuilder", op.prefix);
        let mut doc = format!("Calls the `{}` operation.", op.wire_name);
        if let Some(d) = &op.docs {
            doc.push_str("\n\n");
            doc.push_str(d);
        }
        let doc = doc_lines(&doc);
        let deprecated = if op.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        quote! {
            #doc
            #deprecated
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let doc = format!(
        " A client for {}.\n\n Cheap to clone: clones share the configuration, the connection pool and the retry quota.",
        ir.title
    );
    quote! {
        //! The service client.

        /// Customizing one call before it is sent: `client.<operation>().customize()`.
        pub mod customize {
            pub use crate::rt::CustomizableOperation;
        }

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: crate::rt::Handle,
            config: crate::Config,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn from_conf(config: crate::Config) -> Self {
                Self {
                    handle: crate::rt::Handle::new(config.inner.clone(), &crate::SERVICE),
                    config,
                }
            }

            /// A client built from a configuration shared by the clients of several services: a
            /// [`config::SharedConfig`](crate::config::SharedConfig) (the clients share its
            /// credentials cache and connection pool) or, with the feature `aws-config`, an
            /// `aws_types::SdkConfig` (region, credentials provider, endpoint URL, FIPS/dual-stack,
            /// retry and timeout settings). For overrides of this service only, use
            /// `Client::from_conf(config::Builder::from(&shared).<setting>(..).build())`.
            pub fn new(config: &impl crate::rt::ConfigSource) -> Self {
                let builder = config.config_builder(crate::SERVICE.service_id);
                Self::from_conf(crate::config::Builder::from(builder).build())
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                &self.config
            }

            #(#methods)*
        }
    }
}

fn config_rs(ir: &ServiceIr) -> TokenStream {
    let service_settings = service_settings(ir);
    let doc = inner_doc_lines(&format!(
        "Client configuration: authentication, region, endpoint, retries, timeouts, HTTP client, \
         interceptors.\n\n{}",
        auth_docs(ir)
    ));
    quote! {
        #doc

        pub use crate::rt::{AppName, InvalidAppName};
        pub use crate::rt::{
            ApiKey, ApiKeyLocation, AsyncSleep, AuthScheme, BasicAuth, BehaviorVersion, BoxFuture, CallInfo,
            CallOutcome, ConfigError, ConfigSource, ConnectorError, ConnectorErrorKind, Credentials,
            CredentialsError, CredentialsFuture, DefaultHttpClient, HttpClient, HttpClientSettings, HttpRequest,
            HttpResponse, IdempotencyTokenProvider, Interceptor, ProvideCredentials, ProvideToken, ProxySettings,
            Region, RetryConfig, SharedConfig, SharedCredentialsProvider, SharedTokenProvider, StaticTimeSource,
            SystemTimeSource, TimeSource, TimeoutConfig, Token, TokenError, TokenFuture,
        };
        /// The builder of a [`SharedConfig`] (finish it with `build_shared()`).
        pub use crate::rt::Builder as SharedConfigBuilder;

        /// Retry settings: [`RetryConfig`] and its mode (standard or adaptive).
        pub mod retry {
            pub use crate::rt::{RetryConfig, RetryConfigBuilder, RetryMode, RetryModeParseError};
        }

        /// Timeout settings: [`TimeoutConfig`] and its builder.
        pub mod timeout {
            pub use crate::rt::{TimeoutConfig, TimeoutConfigBuilder};
        }

        crate::rt::service_config!(crate::SERVICE);

        #service_settings
    }
}

/// The configuration settings of this service only: its endpoint rules' client context
/// parameters and, when the rules route by account, the account id endpoint mode.
fn service_settings(ir: &ServiceIr) -> TokenStream {
    let Some(rules) = &ir.endpoint_rules else {
        return TokenStream::new();
    };
    let mut setters = Vec::new();
    let mut getters = Vec::new();
    for p in &rules.client_params {
        let name = &p.name;
        let method = ident(&p.method);
        let set = quote::format_ident!("set_{}", crate::ir::names::unraw(&p.method));
        let (arg, arg_ty, opt_ty, wrap, get_ty, read) = match p.ty {
            crate::ir::endpoint::rules::ParamType::Boolean => (
                quote!(value),
                quote!(bool),
                quote!(Option<bool>),
                quote!(crate::rt::EndpointValue::Bool),
                quote!(Option<bool>),
                quote!(crate::rt::EndpointValue::as_bool),
            ),
            _ => (
                quote!(value.into()),
                quote!(impl Into<String>),
                quote!(Option<String>),
                quote!(crate::rt::EndpointValue::String),
                quote!(Option<&str>),
                quote!(crate::rt::EndpointValue::as_str),
            ),
        };
        let doc = doc_lines(&format!(
            "{} (the endpoint rules' client context parameter `{name}`). Default: unset. Can \
             be overridden for one call with `customize().config_override(..)`.",
            p.doc
                .as_deref()
                .unwrap_or("A setting of the service's endpoint rules.")
        ));
        let set_doc = format!(" Sets or clears [`{}`](Self::{}).", p.method, p.method);
        setters.push(quote! {
            #doc
            pub fn #method(self, value: #arg_ty) -> Self {
                self.#set(Some(#arg))
            }

            #[doc = #set_doc]
            pub fn #set(mut self, value: #opt_ty) -> Self {
                self.inner = self.inner.set_client_context_param(#name, value.map(#wrap));
                self
            }
        });
        let get_doc = format!(" The [`{}`](Builder::{}) setting.", p.method, p.method);
        getters.push(quote! {
            #[doc = #get_doc]
            pub fn #method(&self) -> #get_ty {
                self.inner.client_context_param(#name).and_then(#read)
            }
        });
    }
    let mode = rules
        .rule_set
        .params
        .iter()
        .any(|p| p.source == crate::ir::endpoint::rules::Source::AccountIdEndpointMode);
    let mode_reexport = mode.then(|| {
        quote!(
            pub use crate::rt::AccountIdEndpointMode;
        )
    });
    if mode {
        setters.push(quote! {
            /// Whether this service's account-based endpoints use the account id of the
            /// credentials ([`AccountIdEndpointMode`]). Default: `preferred` (with
            /// [`from_env`](Self::from_env): `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the profile's
            /// `account_id_endpoint_mode`). The account id comes from the credentials
            /// (`AWS_ACCOUNT_ID`, a profile's `aws_account_id`, process or container
            /// credentials, or [`Credentials::with_account_id`]).
            pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
                self.inner = self.inner.account_id_endpoint_mode(mode);
                self
            }

            /// Sets or clears the account id endpoint mode.
            pub fn set_account_id_endpoint_mode(mut self, mode: Option<AccountIdEndpointMode>) -> Self {
                self.inner = self.inner.set_account_id_endpoint_mode(mode);
                self
            }
        });
    }
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            /// This service's own settings.
            impl Builder {
                #(#setters)*
            }
        }
    });
    let getters = (!getters.is_empty()).then(|| {
        quote! {
            /// This service's own settings.
            impl Config {
                #(#getters)*
            }
        }
    });
    quote! {
        #mode_reexport
        #setters
        #getters
    }
}

fn error_rs() -> TokenStream {
    quote! {
        //! Error types shared by every operation.

        pub use crate::rt::{
            BoxError, BuildError, BuildErrorKind, ConstructionFailure, CreateUnhandledError, DeserializeError,
            DispatchFailure, DisplayErrorContext, ErrorMetadata, MessageError, ProvideErrorMetadata, ResponseError,
            RetryExhaustion, SdkError, ServiceError, TimeoutError, Unhandled,
        };
        pub use crate::rt::ConnectorError;
    }
}

fn primitives_rs(ir: &ServiceIr) -> TokenStream {
    // Bodies of `@streaming` blob members, from the `byte-stream` capability module.
    let byte_stream = if ir.has_streaming_blobs() {
        quote!(
            pub use crate::rt::{AggregatedBytes, ByteStream, ByteStreamError};
        )
    } else {
        quote!()
    };
    // The ends of event streams, from the `event-stream` capability module.
    let event_stream = if ir.has_event_streams() {
        quote! {
            /// Event streams: the receiver of an output's events and the sender of an input's.
            pub mod event_stream {
                pub use crate::rt::{EventReceiver, EventSender, EventStreamSender, RawMessage, SendError};
            }
        }
    } else {
        quote!()
    };
    // Kept by string enums for values this version does not know.
    let unknown = if ir.enums.iter().any(|e| !e.int_enum) {
        quote! {
            /// The raw value of an enum value this version of the crate does not know.
            #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct UnknownVariantValue(String);

            impl UnknownVariantValue {
                pub(crate) fn new(value: &str) -> Self {
                    Self(value.to_owned())
                }

                /// The value as received.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        //! Primitive types of the model: timestamps, blobs, documents, unknown enum values.

        pub use crate::rt::{Blob, DateTime, DateTimeFormat, Document, Number};
        #byte_stream
        #event_stream

        #unknown
    }
}

fn operation_rs(ir: &ServiceIr) -> TokenStream {
    let mods = ir.operations.iter().map(|op| {
        let m = ident(&op.module);
        quote!(pub mod #m;)
    });
    quote! {
        //! One module per operation, with its input, output, error and builders.

        /// The request id of outputs and errors: `output.request_id()`, `err.request_id()`.
        pub use crate::rt::RequestId;

        #(#mods)*
    }
}

fn endpoint_files(ir: &ServiceIr) -> Vec<File> {
    let Some(rules) = &ir.endpoint_rules else {
        return vec![File::rust(
            "src/endpoint.rs",
            quote! {
                //! Endpoint resolution: the model has no endpoint rules, so the endpoint URL must
                //! be configured.

                /// Resolves the endpoint of a call: the configured endpoint URL.
                pub(crate) fn resolve_call(
                    params: &crate::rt::EndpointParams,
                ) -> Result<crate::rt::ResolvedEndpoint, crate::rt::EndpointError> {
                    match &params.endpoint {
                        Some(url) => Ok(crate::rt::ResolvedEndpoint::new(url.clone())),
                        None => Err(crate::rt::EndpointError::new(
                            "this service's model has no endpoint rules: set `endpoint_url` in the config",
                        )),
                    }
                }
            },
        )];
    };
    super::endpoint::files(rules)
}
