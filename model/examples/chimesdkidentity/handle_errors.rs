//! Tells a modeled service error (here: the bot does not exist) from other failures.
//!
//! `AWS_REGION=us-east-1 cargo run -p chimesdkidentity --example handle_errors`

use chimesdkidentity::error::{ProvideErrorMetadata, SdkError};
use chimesdkidentity::operation::describe_app_instance_bot::DescribeAppInstanceBotError;
use chimesdkidentity::operation::RequestId;
use chimesdkidentity::{Client, Config};

#[tokio::main]
async fn main() {
    let client = Client::from_conf(Config::from_env());
    let result = client
        .describe_app_instance_bot()
        .app_instance_bot_arn(
            "arn:aws:chime:us-east-1:123456789012:app-instance/abc/bot/does-not-exist",
        )
        .send()
        .await;
    match result {
        Ok(output) => println!(
            "found: {:?}",
            output.app_instance_bot().and_then(|b| b.name())
        ),
        Err(SdkError::ServiceError(err)) => match err.err() {
            DescribeAppInstanceBotError::NotFoundException(not_found) => {
                println!(
                    "no such bot: {}",
                    not_found.message().unwrap_or("(no message)")
                );
            }
            DescribeAppInstanceBotError::ThrottledClientException(_) => {
                println!("throttled; try again later")
            }
            other => println!(
                "service error {} (request id {})",
                other.code().unwrap_or("unknown"),
                other.request_id().unwrap_or("none")
            ),
        },
        // Missing region or credentials, timeouts, connection failures, unreadable responses.
        Err(other) => println!("the call failed: {other}"),
    }
}
