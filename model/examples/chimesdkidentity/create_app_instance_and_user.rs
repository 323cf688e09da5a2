//! Creates an app instance and a user in it, then describes the user.
//!
//! Run with credentials and a region in the environment (or a profile):
//! `AWS_REGION=us-east-1 cargo run -p chimesdkidentity --example create_app_instance_and_user`

use chimesdkidentity::types::Tag;
use chimesdkidentity::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region and credentials come from the environment, the shared config files, ECS or IMDS.
    let client = Client::from_conf(Config::from_env());

    let instance = client
        .create_app_instance()
        .name("example-instance")
        .metadata("created by the create_app_instance_and_user example")
        .tags(Tag::builder().key("project").value("example").build()?)
        .send()
        .await?;
    let instance_arn = instance.app_instance_arn().unwrap_or_default();
    println!("created app instance {instance_arn}");

    let user = client
        .create_app_instance_user()
        .app_instance_arn(instance_arn)
        .app_instance_user_id("user-1")
        .name("First User")
        .send()
        .await?;
    let user_arn = user.app_instance_user_arn().unwrap_or_default();
    println!("created user {user_arn}");

    let described = client
        .describe_app_instance_user()
        .app_instance_user_arn(user_arn)
        .send()
        .await?;
    if let Some(user) = described.app_instance_user() {
        println!(
            "user name: {:?}, created at {:?}",
            user.name(),
            user.created_timestamp()
        );
    }
    Ok(())
}
