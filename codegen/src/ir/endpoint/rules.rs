//! The endpoint rule set (`smithy.rules#endpointRuleSet`) as typed values: parameters with
//! where their values come from, and rules whose conditions and results are expressions with
//! their type worked out. [`RuleSet::parse`] (in `check.rs`) builds them and rejects what the
//! emitter could not compile.

use serde::Serialize;
use serde_json::Value;

/// Where a parameter's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Source {
    /// `AWS::Region`: the configured region.
    Region,
    /// `AWS::UseFIPS`: the configuration's FIPS flag.
    UseFips,
    /// `AWS::UseDualStack`: the configuration's dual-stack flag.
    UseDualStack,
    /// `SDK::Endpoint`: the configured endpoint URL.
    Endpoint,
    /// `AWS::Auth::AccountId`: the account id of the credentials a call is signed with.
    AccountId,
    /// `AWS::Auth::AccountIdEndpointMode`: the configuration's account id endpoint mode.
    AccountIdEndpointMode,
    /// Not a built-in: bound by the model (client, static, context and operation context
    /// parameters), else its default.
    Bound,
}

impl Source {
    /// The built-in's name in the rules language (`None` for [`Source::Bound`]).
    pub fn built_in(self) -> Option<&'static str> {
        Some(match self {
            Source::Region => "AWS::Region",
            Source::UseFips => "AWS::UseFIPS",
            Source::UseDualStack => "AWS::UseDualStack",
            Source::Endpoint => "SDK::Endpoint",
            Source::AccountId => "AWS::Auth::AccountId",
            Source::AccountIdEndpointMode => "AWS::Auth::AccountIdEndpointMode",
            Source::Bound => return None,
        })
    }

    /// The built-in called `name`, and whether it is a boolean.
    pub(super) fn from_built_in(name: &str) -> Option<(Self, bool)> {
        Some(match name {
            "AWS::Region" => (Source::Region, false),
            "AWS::UseFIPS" => (Source::UseFips, true),
            "AWS::UseDualStack" => (Source::UseDualStack, true),
            "SDK::Endpoint" => (Source::Endpoint, false),
            "AWS::Auth::AccountId" => (Source::AccountId, false),
            "AWS::Auth::AccountIdEndpointMode" => (Source::AccountIdEndpointMode, false),
            _ => return None,
        })
    }
}

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParamType {
    /// The type of the parameter's value inside the rules.
    pub fn value_type(self) -> ValueType {
        match self {
            ParamType::String => ValueType::Str,
            ParamType::Boolean => ValueType::Bool,
            ParamType::StringArray => ValueType::StrArray,
        }
    }

    /// The name in the rules language.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

/// A rule-set parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The name in the rule set, e.g. `Region`.
    pub name: String,
    /// The field of the generated `endpoint::Params` (snake case, e.g. `region`).
    pub field: String,
    /// Where its value comes from.
    pub source: Source,
    /// Its type.
    pub ty: ParamType,
    /// The default value.
    pub default: Option<Value>,
    /// `required: true`.
    pub required: bool,
    /// Its documentation.
    pub doc: Option<String>,
    /// `deprecated`: why, when it is.
    pub deprecated: Option<String>,
}

impl Param {
    /// Whether `Params` holds a plain value rather than an `Option`: the parameter has a default,
    /// or it is a boolean built-in the runtime always sets.
    pub fn plain(&self) -> bool {
        self.default.is_some() || matches!(self.source, Source::UseFips | Source::UseDualStack)
    }

    /// A plain value without a default (a built-in boolean: false unless the runtime sets it).
    pub fn plain_without_default(&self) -> bool {
        self.plain() && self.default.is_none()
    }

    /// Whether the parameter may be unset inside the rules (not plain and not required; a
    /// required parameter without a value is an error before any rule runs).
    pub fn optional(&self) -> bool {
        !self.plain() && !self.required
    }
}

/// A parsed and checked rule set.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSet {
    /// The parameters, in rule-set order.
    pub params: Vec<Param>,
    /// The rules, in order (the first whose conditions hold decides).
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Whether any rule calls `function`.
    pub fn calls(&self, function: Function) -> bool {
        fn in_expr(e: &Expr, f: Function) -> bool {
            match &e.kind {
                ExprKind::Call { function, args } => {
                    *function == f || args.iter().any(|a| in_expr(a, f))
                }
                ExprKind::GetAttr { base, .. } => in_expr(base, f),
                _ => false,
            }
        }
        fn in_rules(rules: &[Rule], f: Function) -> bool {
            rules.iter().any(|r| {
                r.conditions.iter().any(|c| in_expr(&c.expr, f))
                    || matches!(&r.outcome, RuleOutcome::Tree(sub) if in_rules(sub, f))
            })
        }
        in_rules(&self.rules, function)
    }

    /// Whether an endpoint URL of the rules interpolates the value called `name`.
    pub fn url_interpolates(&self, name: &str) -> bool {
        fn in_rules(rules: &[Rule], name: &str) -> bool {
            rules.iter().any(|r| match &r.outcome {
                RuleOutcome::Endpoint(e) => match &e.url.kind {
                    ExprKind::Template(t) => t
                        .parts
                        .iter()
                        .any(|p| matches!(p, TemplatePart::Value { name: n, .. } if n == name)),
                    ExprKind::Ref(n) => n == name,
                    _ => false,
                },
                RuleOutcome::Tree(sub) => in_rules(sub, name),
                RuleOutcome::Error(_) => false,
            })
        }
        in_rules(&self.rules, name)
    }

    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// One rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Where it is in the rule set, e.g. `rules[1].rules[0]`.
    pub path: String,
    /// Its `documentation`.
    pub documentation: Option<String>,
    /// Its conditions, in order.
    pub conditions: Vec<Condition>,
    /// What it decides once its conditions hold.
    pub outcome: RuleOutcome,
}

/// A condition: an expression that holds unless it is `false` or unset, optionally binding its
/// value to a name for the conditions and the outcome after it.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// The expression.
    pub expr: Expr,
    /// `assign`: the name its value is bound to.
    pub assign: Option<String>,
}

/// What a rule decides.
#[derive(Debug, Clone, Serialize)]
pub enum RuleOutcome {
    /// An endpoint.
    Endpoint(EndpointOutcome),
    /// An error with this message (a string expression).
    Error(Expr),
    /// The first of these sub-rules that matches decides (none matching is an error).
    Tree(Vec<Rule>),
}

/// An endpoint rule's endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointOutcome {
    /// The URL (a string expression; a template's region in the host is checked at run time).
    pub url: Expr,
    /// Headers: name and string expressions.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties: name and value.
    pub properties: Vec<(String, Property)>,
}

/// An endpoint property value: JSON whose strings may be templates.
#[derive(Debug, Clone, Serialize)]
pub enum Property {
    /// JSON without templates.
    Literal(Value),
    /// A template string.
    Template(Expr),
    /// An array.
    Array(Vec<Property>),
    /// An object.
    Object(Vec<(String, Property)>),
}

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ValueType {
    /// A boolean.
    Bool,
    /// A string.
    Str,
    /// An integer.
    Int,
    /// The result of `aws.partition`.
    Partition,
    /// The result of `parseURL`.
    Url,
    /// The result of `aws.parseArn`.
    Arn,
    /// A list of strings (an ARN's resource id).
    StrArray,
}

/// An expression with its type.
#[derive(Debug, Clone, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its type.
    pub ty: ValueType,
    /// It may be unset (the rules engine's optional values).
    pub optional: bool,
}

/// The kinds of expressions.
#[derive(Debug, Clone, Serialize)]
pub enum ExprKind {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(u64),
    /// A string literal, possibly interpolating values (`{Region}`, `{PartitionResult#name}`).
    Template(Template),
    /// A parameter or an assigned name.
    Ref(String),
    /// A function call (other than `getAttr`).
    Call {
        /// The function.
        function: Function,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `getAttr(base, "path")`.
    GetAttr {
        /// The value read from.
        base: Box<Expr>,
        /// The path as written, e.g. `resourceId[0]`.
        path: String,
        /// The path's steps.
        steps: Vec<Attr>,
    },
}

/// A template string split into literal text and interpolated values.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// The template as written.
    pub text: String,
    /// Its parts.
    pub parts: Vec<TemplatePart>,
}

/// A part of a template.
#[derive(Debug, Clone, Serialize)]
pub enum TemplatePart {
    /// Literal text (`{{` and `}}` already unescaped).
    Literal(String),
    /// `{Name}` or `{Name#path}`: a set string value.
    Value {
        /// The parameter or assigned name.
        name: String,
        /// The attribute path after `#`, as steps (empty without one).
        steps: Vec<Attr>,
    },
}

/// The functions of the rules language the generator compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Function {
    /// `isSet(value)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `aws.partition(region)`.
    AwsPartition,
    /// `substring(input, start, stop, reverse)`.
    Substring,
    /// `uriEncode(value)`.
    UriEncode,
    /// `parseURL(url)`.
    ParseUrl,
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel,
    /// `aws.parseArn(value)`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// The function's name in the rules language.
    pub fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::AwsPartition => "aws.partition",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    pub(super) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "aws.partition" => Function::AwsPartition,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "parseURL" => Function::ParseUrl,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "aws.parseArn" => Function::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::AwsIsVirtualHostableS3Bucket,
            _ => return None,
        })
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Attr {
    /// `[i]` of a string list (may be unset: out of range).
    Index(usize),
    /// A field of a partition, URL or ARN.
    Field(Field),
}

/// The fields `getAttr` can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    /// Partition `name`.
    PartitionName,
    /// Partition `dnsSuffix`.
    PartitionDnsSuffix,
    /// Partition `dualStackDnsSuffix`.
    PartitionDualStackDnsSuffix,
    /// Partition `supportsFIPS`.
    PartitionSupportsFips,
    /// Partition `supportsDualStack`.
    PartitionSupportsDualStack,
    /// Partition `implicitGlobalRegion`.
    PartitionImplicitGlobalRegion,
    /// URL `scheme`.
    UrlScheme,
    /// URL `authority`.
    UrlAuthority,
    /// URL `path`.
    UrlPath,
    /// URL `normalizedPath`.
    UrlNormalizedPath,
    /// URL `isIp`.
    UrlIsIp,
    /// ARN `partition`.
    ArnPartition,
    /// ARN `service`.
    ArnService,
    /// ARN `region`.
    ArnRegion,
    /// ARN `accountId`.
    ArnAccountId,
    /// ARN `resourceId`.
    ArnResourceId,
}

impl Field {
    /// The field of a value of type `ty` called `name`, and the field's type.
    pub(super) fn of(ty: ValueType, name: &str) -> Option<(Field, ValueType)> {
        use ValueType::{Arn, Bool, Partition, Str, StrArray, Url};
        Some(match (ty, name) {
            (Partition, "name") => (Field::PartitionName, Str),
            (Partition, "dnsSuffix") => (Field::PartitionDnsSuffix, Str),
            (Partition, "dualStackDnsSuffix") => (Field::PartitionDualStackDnsSuffix, Str),
            (Partition, "supportsFIPS") => (Field::PartitionSupportsFips, Bool),
            (Partition, "supportsDualStack") => (Field::PartitionSupportsDualStack, Bool),
            (Partition, "implicitGlobalRegion") => (Field::PartitionImplicitGlobalRegion, Str),
            (Url, "scheme") => (Field::UrlScheme, Str),
            (Url, "authority") => (Field::UrlAuthority, Str),
            (Url, "path") => (Field::UrlPath, Str),
            (Url, "normalizedPath") => (Field::UrlNormalizedPath, Str),
            (Url, "isIp") => (Field::UrlIsIp, Bool),
            (Arn, "partition") => (Field::ArnPartition, Str),
            (Arn, "service") => (Field::ArnService, Str),
            (Arn, "region") => (Field::ArnRegion, Str),
            (Arn, "accountId") => (Field::ArnAccountId, Str),
            (Arn, "resourceId") => (Field::ArnResourceId, StrArray),
            _ => return None,
        })
    }

    /// The field's name in the rules language.
    pub fn name(self) -> &'static str {
        match self {
            Field::PartitionName => "name",
            Field::PartitionDnsSuffix => "dnsSuffix",
            Field::PartitionDualStackDnsSuffix => "dualStackDnsSuffix",
            Field::PartitionSupportsFips => "supportsFIPS",
            Field::PartitionSupportsDualStack => "supportsDualStack",
            Field::PartitionImplicitGlobalRegion => "implicitGlobalRegion",
            Field::UrlScheme => "scheme",
            Field::UrlAuthority => "authority",
            Field::UrlPath => "path",
            Field::UrlNormalizedPath => "normalizedPath",
            Field::UrlIsIp => "isIp",
            Field::ArnPartition => "partition",
            Field::ArnService => "service",
            Field::ArnRegion => "region",
            Field::ArnAccountId => "accountId",
            Field::ArnResourceId => "resourceId",
        }
    }
}
