//! One call on each of 1 generated client, each configured from the environment on its
//! own (region and the credentials chain): with vendored runtimes the crates' configuration types
//! differ, so nothing can be shared.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match chimesdkidentity::Client::from_conf(chimesdkidentity::Config::from_env())
            .create_app_instance()
            .name("bench")
            .send()
            .await
        {
            Ok(out) => println!("{:?}", out.app_instance_arn()),
            Err(err) => eprintln!("chime call failed: {err}"),
        }
    });
    Ok(())
}
