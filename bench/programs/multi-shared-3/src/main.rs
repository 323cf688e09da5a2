//! One call on each of 3 generated clients, built from one `SharedConfig` loaded from the
//! environment (region and the credentials chain; one credentials cache and connection pool for
//! all of them, since the clients share the runtime crate).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let shared = chimesdkidentity::config::SharedConfig::from_env();
        match chimesdkidentity::Client::new(&shared)
            .create_app_instance()
            .name("bench")
            .send()
            .await
        {
            Ok(out) => println!("{:?}", out.app_instance_arn()),
            Err(err) => eprintln!("chime call failed: {err}"),
        }
        match mq::Client::new(&shared).list_brokers().send().await {
            Ok(out) => println!("{} brokers", out.broker_summaries().len()),
            Err(err) => eprintln!("mq call failed: {err}"),
        }
        match iotdataplane::Client::new(&shared)
            .list_retained_messages()
            .send()
            .await
        {
            Ok(out) => println!("{} retained topics", out.retained_topics().len()),
            Err(err) => eprintln!("iot call failed: {err}"),
        }
    });
    Ok(())
}
