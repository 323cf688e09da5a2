//! Calls CreateAppInstance once with the official SDK built without aws-config: region and
//! static credentials are read from `AWS_REGION` / `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
//! `BENCH_ENDPOINT` (if set) overrides the endpoint.

use aws_sdk_chimesdkidentity::config::{Credentials, Region};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut builder = aws_sdk_chimesdkidentity::Config::builder()
            .region(Region::new(var("AWS_REGION")))
            .credentials_provider(Credentials::new(
                var("AWS_ACCESS_KEY_ID"),
                var("AWS_SECRET_ACCESS_KEY"),
                None,
                None,
                "env",
            ));
        if let Ok(url) = std::env::var("BENCH_ENDPOINT") {
            builder = builder.endpoint_url(url);
        }
        let client = aws_sdk_chimesdkidentity::Client::from_conf(builder.build());
        match client.create_app_instance().name("bench").send().await {
            Ok(out) => println!("{:?}", out.app_instance_arn()),
            Err(err) => eprintln!("call failed: {err}"),
        }
    });
    Ok(())
}
