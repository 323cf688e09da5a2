//! One call on each of 3 generated clients, each configured from the environment on its
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
        match mq::Client::from_conf(mq::Config::from_env())
            .list_brokers()
            .send()
            .await
        {
            Ok(out) => println!("{} brokers", out.broker_summaries().len()),
            Err(err) => eprintln!("mq call failed: {err}"),
        }
        match iotdataplane::Client::from_conf(iotdataplane::Config::from_env())
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
