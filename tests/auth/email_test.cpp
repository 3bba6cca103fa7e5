// E-mail validation and normalisation (CONTRACT §7.1).
#include "auth/email.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

using codex::auth::ValidateEmail;

TEST_CASE("Valid addresses are accepted and the domain is lower-cased") {
  const std::string label63(63, 'a');
  const std::string local64(64, 'b');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"user@example.com", "user@example.com"},
      {"User.Name+tag@Example.COM", "User.Name+tag@example.com"},
      {"a!#$%&'*+/=?^_`{|}~-@example.org", "a!#$%&'*+/=?^_`{|}~-@example.org"},
      {"x@sub.domain.example.co.uk", "x@sub.domain.example.co.uk"},
      {"first.last@ex-ample.com", "first.last@ex-ample.com"},
      {"a@b.io", "a@b.io"},
      {"user@123.example.com", "user@123.example.com"},
      {"user@bücher.de", "user@bücher.de"},
      {"user@BÜCHER.DE", "user@bücher.de"},
      {"user@xn--bcher-kva.de", "user@xn--bcher-kva.de"},
      {"user@例え.テスト.jp", "user@例え.テスト.jp"},
      {"user@example\u3002com", "user@example.com"},
      {"user@" + label63 + ".com", "user@" + label63 + ".com"},
      {local64 + "@example.com", local64 + "@example.com"},
  };
  for (const auto& [input, normalized] : cases) {
    INFO(input);
    auto r = ValidateEmail(input);
    REQUIRE(r.ok());
    CHECK(*r == normalized);
  }
}

TEST_CASE("Invalid addresses give email-validator's reason") {
  const std::string label64(64, 'a');
  const std::string local65(65, 'b');
  const std::string long_domain =
      std::string(63, 'c') + "." + std::string(63, 'd') + "." + std::string(63, 'e') + ".com";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"invalid-email", "An email address must have an @-sign."},
      {"", "An email address must have an @-sign."},
      {"@example.com", "There must be something before the @-sign."},
      {"user@", "There must be something after the @-sign."},
      {"a@b@example.com", "The email address contains invalid characters before the @-sign: '@'."},
      {"a b@example.com",
       "The email address contains invalid characters before the @-sign: SPACE."},
      {"a(b)\"c\"@example.com",
       "The email address contains invalid characters before the @-sign: '\"', '(', ')'."},
      {"a\\b@example.com",
       "The email address contains invalid characters before the @-sign: \"\\\"."},
      {"tab\t@example.com",
       "The email address contains invalid characters before the @-sign: U+0009."},
      {"josé@example.com", "The email address contains invalid characters before the @-sign: 'é'."},
      {".user@example.com", "An email address cannot start with a period."},
      {"user.@example.com", "An email address cannot have a period immediately before the @-sign."},
      {"us..er@example.com", "An email address cannot have two periods in a row."},
      {local65 + "@example.com",
       "The email address is too long before the @-sign (1 character too many)."},
      {std::string(70, 'b') + "@example.com",
       "The email address is too long before the @-sign (6 characters too many)."},
      {"user@example", "The part after the @-sign is not valid. It should have a period."},
      {"user@localhost", "The part after the @-sign is not valid. It should have a period."},
      {"user@.example.com", "An email address cannot have a period immediately after the @-sign."},
      {"user@example.com.", "An email address cannot end with a period."},
      {"user@exa..mple.com", "An email address cannot have two periods in a row."},
      {"user@-example.com", "An email address cannot have a hyphen immediately after the @-sign."},
      {"user@example.com-", "An email address cannot end with a hyphen."},
      {"user@example-.com",
       "An email address cannot have a period and a hyphen next to each other."},
      {"user@exa_mple.com", "The part after the @-sign contains invalid characters: '_'."},
      {"user@exa mple.com", "The part after the @-sign contains invalid characters: SPACE."},
      {"user@[127.0.0.1]", "A bracketed IPv4 address after the @-sign is not allowed here."},
      {"user@[IPv6:::1]", "A bracketed IPv6 address after the @-sign is not allowed here."},
      {"user@[1.2.3]",
       "The address in brackets after the @-sign is not valid: It is not an IPv4 address "
       "(Expected 4 octets in '1.2.3') or is missing an address literal tag."},
      {"user@[example.com]",
       "The part after the @-sign in brackets is not an IPv4 address and has no address literal "
       "tag."},
      {"user@[x:y]",
       "The part after the @-sign contains an invalid address literal tag in brackets."},
      {"user@127.0.0.1",
       "The part after the @-sign is not valid. It is not within a valid top-level domain."},
      {"user@example.c0",
       "The part after the @-sign is not valid. It is not within a valid top-level domain."},
      {"user@my.localhost",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@example.test",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@x.invalid",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@printer.local",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@hidden.onion",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@1.in-addr.ARPA",
       "The part after the @-sign is a special-use or reserved name that cannot be used with "
       "email."},
      {"user@" + label64 + ".com",
       "After the @-sign, periods cannot be separated by so many characters (1 character too "
       "many)."},
      {"user@ab--cd.com",
       "An email address cannot have two letters followed by two dashes immediately after the "
       "@-sign or after a period, except Punycode."},
      {"user@\u2603.com",
       "The part after the @-sign contains invalid characters (Codepoint U+2603 at position 1 of "
       "'\u2603' not allowed)."},
      {"user@xn--9999999999.com", "The part after the @-sign is not valid IDNA (Invalid A-label)."},
      {"user@example\u200b.com", "The email address contains unsafe characters: ZERO WIDTH SPACE."},
      {"user@exa\u00a0mple.com", "The email address contains unsafe characters: NO-BREAK SPACE."},
      {"user@exa\u0085mple.com", "The email address contains unsafe characters: U+0085."},
      {"user@" + std::string(60, 'b') + "\u00e9.com",
       "The part after the @-sign contains invalid characters (Label too long)."},
      {std::string(64, 'u') + "@" + long_domain,
       "The email address is too long (6 characters too many)."},
      {"bad\xff@example.com", "The email address contains an invalid character."},
      {std::string(2049, 'a'), "Length must not exceed 2048 characters"},
  };
  for (const auto& [input, reason] : cases) {
    INFO(input);
    auto r = ValidateEmail(input);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == codex::Code::kValidation);
    CHECK(r.status().reason() == "value_error");
    CHECK(r.status().field() == "email");
    CHECK(r.status().message() == "value is not a valid email address: " + reason);
  }
}

TEST_CASE("Internationalised labels are measured in their Punycode form") {
  // "a" * 55 + "ü" is "xn--" + 59 characters: exactly 63. One more "a" makes 64.
  auto fits = ValidateEmail("user@" + std::string(55, 'a') + "\u00fc.de");
  CHECK(fits.ok());
  auto too_long = ValidateEmail("user@" + std::string(56, 'a') + "\u00fc.de");
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().message() ==
        "value is not a valid email address: The part after the @-sign contains invalid "
        "characters (Label too long).");
  // Stored in the Unicode form, as given (lower-cased).
  CHECK(*ValidateEmail("Jo@M\u00dcNCHEN.de") == "Jo@m\u00fcnchen.de");
}
