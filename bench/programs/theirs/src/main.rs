//! Calls CreateAppInstance once with the official SDK, configured the documented way
//! (`aws_config::load_defaults`). `BENCH_ENDPOINT` (if set) overrides the endpoint.

use aws_config::BehaviorVersion;

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
        let client = aws_sdk_chimesdkidentity::Client::new(&shared);
        match client.create_app_instance().name("bench").send().await {
            Ok(out) => println!("{:?}", out.app_instance_arn()),
            Err(err) => eprintln!("call failed: {err}"),
        }
    });
    Ok(())
}
