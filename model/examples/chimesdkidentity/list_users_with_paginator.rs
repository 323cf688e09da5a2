//! Lists every user of an app instance, page by page and item by item.
//!
//! `AWS_REGION=us-east-1 cargo run -p chimesdkidentity --example list_users_with_paginator -- <app-instance-arn>`

use chimesdkidentity::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app_instance_arn = std::env::args()
        .nth(1)
        .ok_or("usage: list_users_with_paginator <app-instance-arn>")?;
    let client = Client::from_conf(Config::from_env());

    // Page by page: each page is one ListAppInstanceUsers response.
    let mut pages = client
        .list_app_instance_users()
        .app_instance_arn(&app_instance_arn)
        .into_paginator()
        .page_size(10)
        .send();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        page_count += 1;
        println!(
            "page {page_count}: {} users",
            page.app_instance_users().len()
        );
    }

    // Item by item, collected into one vector (stops at the first error).
    let users: Vec<_> = client
        .list_app_instance_users()
        .app_instance_arn(&app_instance_arn)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    for user in &users {
        println!(
            "{} {:?}",
            user.app_instance_user_arn().unwrap_or_default(),
            user.name()
        );
    }
    Ok(())
}
