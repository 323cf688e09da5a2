//! Sends requests to a custom endpoint (a proxy, a local fake, a VPC endpoint) with explicit
//! credentials, region, retries and timeouts.
//!
//! `cargo run -p chimesdkidentity --example custom_endpoint_and_credentials -- http://127.0.0.1:8080`

use std::time::Duration;

use chimesdkidentity::config::{Credentials, Region, RetryConfig, TimeoutConfig};
use chimesdkidentity::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "example",
        ))
        // Plain http:// is accepted only for an explicit endpoint override like this one.
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::new()
                .connect_timeout(Duration::from_secs(1))
                .operation_timeout(Duration::from_secs(10)),
        )
        .app_name("custom-endpoint-example")
        .build();
    let client = Client::from_conf(config);
    match client.list_app_instances().max_results(5).send().await {
        Ok(output) => println!("{} app instances", output.app_instances().len()),
        Err(err) => println!("the call failed: {err}"),
    }
    Ok(())
}
