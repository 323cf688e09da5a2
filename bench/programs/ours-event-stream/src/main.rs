//! The `ours` program with the runtime's `event-stream` capability on (see Cargo.toml): calls
//! CreateAppInstance once with the generated client. Region and credentials come from the
//! environment chain; `BENCH_ENDPOINT` (if set) overrides the endpoint.

use chimesdkidentity::config::Builder;
use chimesdkidentity::Client;

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
        match client.create_app_instance().name("bench").send().await {
            Ok(out) => println!("{:?}", out.app_instance_arn()),
            Err(err) => eprintln!("call failed: {err}"),
        }
    });
    Ok(())
}
