//! Calls GetItem once with the generated DynamoDB client. Region and credentials come from the
//! environment chain; `BENCH_ENDPOINT` (if set) overrides the endpoint.

use dynamodb::config::Builder;
use dynamodb::types::AttributeValue;
use dynamodb::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut builder = Builder::from_env();
        if let Ok(url) = std::env::var("BENCH_ENDPOINT") {
            builder = builder.endpoint_url(url);
        }
        let client = Client::from_conf(builder.build());
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
