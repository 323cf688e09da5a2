//! Calls GetItem once with the official DynamoDB SDK, configured the documented way
//! (`aws_config::load_defaults`). `BENCH_ENDPOINT` (if set) overrides the endpoint.

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Ok(url) = std::env::var("BENCH_ENDPOINT") {
            loader = loader.endpoint_url(url);
        }
        let shared = loader.load().await;
        let client = aws_sdk_dynamodb::Client::new(&shared);
        let call = client
            .get_item()
            .table_name("bench")
            .key("pk", AttributeValue::S("item-1".to_owned()));
        match call.send().await {
            Ok(out) => println!("{:?}", out.item().map(|item| item.len())),
            Err(err) => eprintln!("call failed: {err}"),
        }
    });
    Ok(())
}
