//! The pages' route table: each area adds its routes through `Routes`, which builds the axum
//! router and records every (method, path) pair as it goes, so the list that tests enumerate
//! (`web::route_list`) cannot drift from what the server answers.

use axum::{
    Router,
    extract::DefaultBodyLimit,
    handler::Handler,
    http::Method,
    routing::{MethodFilter, on},
};

use super::AppState;

/// A router under construction and the routes it holds so far.
pub struct Routes {
    pub router: Router<AppState>,
    pub list: Vec<(Method, &'static str)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.add(Method::GET, path, h, None)
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.add(Method::POST, path, h, None)
    }

    /// A POST whose body may be up to `limit` bytes (forms with files).
    pub fn post_upload<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        limit: usize,
    ) -> Routes {
        self.add(Method::POST, path, h, Some(limit))
    }

    fn add<H: Handler<T, AppState>, T: 'static>(
        mut self,
        method: Method,
        path: &'static str,
        h: H,
        limit: Option<usize>,
    ) -> Routes {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        let mut route = on(filter, h);
        if let Some(limit) = limit {
            route = route.layer(DefaultBodyLimit::max(limit));
        }
        self.router = self.router.route(path, route);
        self.list.push((method, path));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }
}
