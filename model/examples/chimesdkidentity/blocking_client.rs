//! The blocking client: the same API without `async`, for programs that have no async runtime.
//!
//! `AWS_REGION=us-east-1 cargo run -p chimesdkidentity --features blocking --example blocking_client`
//!
//! Features: blocking

use chimesdkidentity::blocking::Client;
use chimesdkidentity::Config;

fn main() {
    let client = Client::from_conf(Config::from_env());
    match client.list_app_instances().max_results(10).send() {
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
    // Paginators are iterators.
    for page in client.list_app_instances().into_paginator().send() {
        match page {
            Ok(page) => println!("page with {} app instances", page.app_instances().len()),
            Err(err) => {
                eprintln!("the call failed: {err}");
                break;
            }
        }
    }
}
