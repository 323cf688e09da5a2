//! Crate-level files: Cargo.toml, README.md, the crate root, `client`, `config`, `error`,
//! `primitives`, `operation`, the endpoint module and the copied runtime.

use askama::Template;
use proc_macro2::TokenStream;
use quote::quote;

use super::auth_docs::{auth_docs, config_example};
use super::tokens::{doc_lines, ident, inner_doc_lines};
use super::{Contents, EmitInputs, File};
use crate::error::{CodegenError, Result};
use crate::ir::names::unraw;
use crate::ir::{AuthSchemeIr, ServiceIr};

#[derive(Template)]
#[template(path = "Cargo.toml.txt", escape = "none")]
struct CargoToml<'a> {
    crate_name: &'a str,
    crate_version: &'a str,
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
    title: &'a str,
    api_version: &'a str,
    operation_count: usize,
    operation_list: String,
    config_example: String,
    auth_docs: String,
}

/// Every crate-level file.
pub fn files(ir: &ServiceIr, inputs: &EmitInputs) -> Result<Vec<File>> {
    let mut files = vec![
        File::text("Cargo.toml", cargo_toml(ir, &inputs.examples)?),
        File::text("README.md", readme(ir)?),
        File::rust("src/lib.rs", lib_rs(ir)),
        File::rust("src/client.rs", client_rs(ir)),
        File::rust("src/config.rs", config_rs(ir)),
        File::rust("src/error.rs", error_rs()),
        File::rust("src/primitives.rs", primitives_rs(ir)),
        File::rust("src/operation.rs", operation_rs(ir)),
        File::rust("src/blocking.rs", super::blocking::blocking_rs(ir)),
    ];
    files.extend(endpoint_files(ir, inputs)?);
    for example in inputs.examples.iter().filter(|e| e.path.is_none()) {
        files.push(File {
            path: format!("examples/{}.rs", example.name),
            contents: Contents::RustSource(example.source.clone()),
        });
    }
    for (path, source) in super::capabilities::runtime_files(ir)? {
        files.push(File {
            path: format!("src/rt/{path}"),
            contents: Contents::RustSource(source),
        });
    }
    Ok(files)
}

/// A table of the runtime's manifest, as the crate for `ir` needs it, rendered as
/// `key = value` lines with inline tables.
fn runtime_table(ir: &ServiceIr, name: &str) -> Result<String> {
    let table = super::capabilities::manifest_table(ir, name)?;
    let mut out = String::new();
    for (key, value) in &table {
        out.push_str(key);
        out.push_str(" = ");
        out.push_str(&inline_value(value));
        out.push('\n');
    }
    Ok(out)
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

fn cargo_toml(ir: &ServiceIr, examples: &[super::Example]) -> Result<String> {
    let template = CargoToml {
        examples: example_tables(examples),
        crate_name: &ir.crate_name,
        crate_version: &ir.crate_version,
        title: &ir.title,
        features: runtime_table(ir, "features")?,
        dependencies: runtime_table(ir, "dependencies")?,
        dev_dependencies: runtime_table(ir, "dev-dependencies")?,
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

fn readme(ir: &ServiceIr) -> Result<String> {
    let operation_list = ir
        .operations
        .iter()
        .map(|op| format!("- `{}()` ({})\n", unraw(&op.module), op.wire_name))
        .collect::<String>();
    Readme {
        crate_name: &ir.crate_name,
        title: &ir.title,
        api_version: &ir.api_version,
        operation_count: ir.operations.len(),
        operation_list,
        config_example: {
            let (uses, lines) = config_example(ir);
            let uses = match uses {
                Some(names) => format!("use {}::config::{names};\n\n", ir.crate_name),
                None => "\n".to_owned(),
            };
            format!(
                "{uses}# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet config = Config::builder()\n{lines}    .build();\n"
            )
        },
        auth_docs: auth_docs(ir).trim_end().to_owned(),
    }
    .render()
    .map_err(|err| CodegenError::Emit {
        file: "README.md".to_owned(),
        message: err.to_string(),
    })
}

fn lib_rs(ir: &ServiceIr) -> TokenStream {
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
        .map(|names| format!("use {}::config::{names};\n\n", ir.crate_name))
        .unwrap_or_default();
    doc.push_str(&format!(
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{uses}let config = {krate}::Config::builder()\n{lines}    .build();\nlet client = {krate}::Client::from_conf(config);\nlet request = client.{first_op}();\n# let _ = request;\n# Ok(())\n# }}\n```\n\n",
        krate = ir.crate_name
    ));
    doc.push_str(
        "Errors are [`error::SdkError`] values wrapping each operation's error enum; paginated operations \
         have `into_paginator()`. See the crate's README for configuration, retries, timeouts and features.",
    );
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
    quote! {
        #doc

        #[cfg(feature = "blocking")]
        pub mod blocking;
        pub mod client;
        pub mod config;
        pub mod endpoint;
        pub mod error;
        pub mod operation;
        pub mod primitives;
        pub mod rt;
        pub mod types;
        #wire

        pub use client::Client;
        pub use config::Config;

        /// What the runtime needs to know about the service. With
        /// [`rt::client::Handle`] it runs any operation from its
        /// input structure: `Handle::new(config, &SERVICE).call::<Op>(input, None)`, which is
        /// what the fluent builders do.
        pub static SERVICE: crate::rt::operation::ServiceMeta = crate::rt::operation::ServiceMeta {
            service_id: #service_id,
            signing_name: #signing_name,
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            api_version: #api_version,
            resolve_endpoint: crate::endpoint::resolve_endpoint,
        };
    }
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

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: crate::rt::client::Handle,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn from_conf(config: crate::Config) -> Self {
                Self {
                    handle: crate::rt::client::Handle::new(config, &crate::SERVICE),
                }
            }

            /// A client configured from an `aws_types::SdkConfig` (feature `aws-config`): region,
            /// credentials provider, endpoint URL, FIPS/dual-stack, retry and timeout settings.
            #[cfg(feature = "aws-config")]
            pub fn new(sdk_config: &aws_types::SdkConfig) -> Self {
                Self::from_conf(crate::rt::sdk_config::builder_from_sdk_config(sdk_config).build())
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            #(#methods)*
        }
    }
}

fn config_rs(ir: &ServiceIr) -> TokenStream {
    let doc = inner_doc_lines(&format!(
        "Client configuration: authentication, region, endpoint, retries, timeouts, HTTP client, \
         interceptors.\n\n{}",
        auth_docs(ir)
    ));
    quote! {
        #doc

        pub use crate::rt::auth::{ApiKey, AuthScheme, BasicAuth, ProvideToken, SharedTokenProvider, Token, TokenError};
        pub use crate::rt::config::{Builder, Config, ConfigError};
        pub use crate::rt::credentials::{Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
        pub use crate::rt::http_client::HttpClient;
        pub use crate::rt::interceptor::Interceptor;
        pub use crate::rt::operation::IdempotencyTokenProvider;
        pub use crate::rt::region::Region;
        pub use crate::rt::retry::RetryConfig;
        pub use crate::rt::time::TimeSource;
        pub use crate::rt::timeout::TimeoutConfig;
    }
}

fn error_rs() -> TokenStream {
    quote! {
        //! Error types shared by every operation.

        pub use crate::rt::error::{
            BoxError, BuildError, BuildErrorKind, CreateUnhandledError, DeserializeError, ErrorMetadata, MessageError,
            ProvideErrorMetadata, SdkError, Unhandled,
        };
    }
}

fn primitives_rs(ir: &ServiceIr) -> TokenStream {
    // Bodies of `@streaming` blob members, from the `byte-stream` capability module.
    let byte_stream = if ir.has_streaming_blobs() {
        quote!(
            pub use crate::rt::byte_stream::{AggregatedBytes, ByteStream, ByteStreamError};
        )
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

        pub use crate::rt::primitives::{Blob, DateTime, Document, Format as DateTimeFormat, Number};
        #byte_stream

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
        #(#mods)*
    }
}

fn endpoint_files(ir: &ServiceIr, inputs: &EmitInputs) -> Result<Vec<File>> {
    let Some(rules) = &ir.endpoint_rules else {
        return Ok(vec![File::rust(
            "src/endpoint.rs",
            quote! {
                //! Endpoint resolution: the model has no endpoint rules, so the endpoint URL must
                //! be configured.

                /// Uses the configured endpoint URL.
                pub fn resolve_endpoint(
                    params: &crate::rt::endpoint::EndpointParams,
                ) -> Result<crate::rt::endpoint::ResolvedEndpoint, crate::rt::endpoint::EndpointError> {
                    match &params.endpoint {
                        Some(url) => Ok(crate::rt::endpoint::ResolvedEndpoint::new(url.clone())),
                        None => Err(crate::rt::endpoint::EndpointError::new(
                            "this service's model has no endpoint rules: set `endpoint_url` in the config",
                        )),
                    }
                }
            },
        )]);
    };
    let empty = serde_json::json!({ "version": "1.1", "partitions": [] });
    let partitions = inputs.partitions.as_ref().unwrap_or(&empty);
    let generated = crate::endpoint_rules::generate(
        rules,
        ir.endpoint_tests.as_ref(),
        partitions,
        inputs.test_partitions.as_ref(),
    )
    .map_err(|err| CodegenError::EndpointRules {
        shape: ir.shape_id.clone(),
        message: err.to_string(),
    })?;
    Ok(generated
        .into_iter()
        .map(|f| File::rust(f.path, f.tokens))
        .collect())
}
