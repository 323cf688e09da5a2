//! Blocking calls: the same client and fluent API without `async`, for programs that have no async
//! runtime (`send_blocking()` where async code writes `.send().await`).
//!
//! `AWS_REGION=us-east-1 cargo run -p chimesdkidentity --features blocking --example blocking_client`
//!
//! Features: blocking

use chimesdkidentity::blocking::SendBlocking;
use chimesdkidentity::{Client, Config};

fn main() {
    let client = Client::from_conf(Config::from_env());
    match client.list_app_instances().max_results(10).send_blocking() {
        Ok(output) => {
            for instance in output.app_instances() {
                println!(
                    "{} {:?}",
                    instance.app_instance_arn().unwrap_or_default(),
                    instance.name()
                );
            }
        }
        Err(err) => eprintln!("the call failed: {err}"),
    }
    // A paginator's `send_blocking()` is an iterator of pages (it ends after an error).
    for page in client.list_app_instances().into_paginator().send_blocking() {
        match page {
            Ok(page) => println!("page with {} app instances", page.app_instances().len()),
            Err(err) => eprintln!("the call failed: {err}"),
        }
    }
    // `items().send_blocking()` is an iterator of the items of every page.
    let names: Result<Vec<_>, _> = client
        .list_app_instances()
        .into_paginator()
        .items()
        .send_blocking()
        .map(|instance| instance.map(|i| i.name().unwrap_or_default().to_owned()))
        .collect();
    match names {
        Ok(names) => println!("app instances: {names:?}"),
        Err(err) => eprintln!("the call failed: {err}"),
    }
}
