// report.html: self-contained (nothing it could fetch), escaped, and
// rendered by headless Chromium, whose DOM must show the failed scenario
// open with its failure and expectations. The screenshot and the report are
// kept under <build>/tests/reports/output/html_writer_test/ for a person to
// look at.
#define BOOST_TEST_MODULE reports_html_writer
#include "reports/html_writer.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <iostream>
#include <regex>

#include "reports/chrome_trace_writer.h"
#include "reports/report_set.h"
#include "tests/reports/external_tool.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::reports;
using namespace understudy::testing;

namespace {

// Chromium's start-up dominates; 30 s is margin for a loaded 2-core machine.
constexpr auto kChromiumTimeout = 30s;

std::filesystem::path chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    if (const auto path = find_program(name)) {
      return *path;
    }
  }
  BOOST_FAIL(
      "headless Chromium is needed to render report.html but none is on PATH: install it with "
      "`apt-get install -y chromium` (listed in tools/debian-packages.txt)");
  return {};
}

// Flags that keep Chromium from touching the network or any profile but a
// fresh one: the report must render from the file alone.
std::vector<std::string> chromium_args(const std::filesystem::path& profile) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars",
          "--user-data-dir=" + profile.string()};
}

// How Chromium serializes a text node: only & < > (and U+00A0) are escaped.
std::string as_dom_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The serialized <details> of scenario `index` (1-based), up to the next one.
std::string scenario_markup(const std::string& dom, std::size_t index) {
  const auto start = dom.find("id=\"scenario-" + std::to_string(index) + "\"");
  BOOST_TEST_REQUIRE(start != std::string::npos, "no scenario-" << index << " in the DOM");
  const auto open_tag = dom.rfind("<details", start);
  auto end = dom.find("id=\"scenario-" + std::to_string(index + 1) + "\"", start);
  if (end == std::string::npos) {
    end = dom.find("</main>", start);
  }
  return dom.substr(open_tag, end - open_tag);
}

struct RenderedReport {
  SuiteResult suite = sample_suite();
  TempDir dir{"reports-html"};
  std::filesystem::path html;

  RenderedReport() : html(dir.path() / "report.html") { write_reports(suite, dir.path()); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(report_is_self_contained) {
  RenderedReport report;
  const auto text = read_file(report.html);
  BOOST_TEST(text.starts_with("<!DOCTYPE html>"));
  BOOST_TEST(text.find("Content-Security-Policy") != std::string::npos);
  BOOST_TEST(text.find("default-src 'none'") != std::string::npos);
  // The only URL is the SVG namespace name, which nothing fetches; "//host"
  // in an attribute or url() would be a fetch too.
  const std::regex url(R"(((https?|ftp):|["'(=])//[A-Za-z0-9.-]+)", std::regex::icase);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), url); it != std::sregex_iterator();
       ++it) {
    BOOST_TEST(it->str() == "http://www.w3.org", "unexpected URL " << it->str());
    BOOST_TEST(text.compare(it->position(), 27, "http://www.w3.org/2000/svg\"") == 0);
  }
  for (const char* fetching : {"<link", "<img", "<iframe", "<object", "<embed", "@import",
                               "src=", "url(http", "@font-face"}) {
    BOOST_TEST(text.find(fetching) == std::string::npos, "the report contains " << fetching);
  }
  // Relative links to the traces written beside it are fine: they exist.
  for (const auto& name : trace_file_names(report.suite)) {
    BOOST_TEST(text.find("href=\"traces/" + name + "\"") != std::string::npos, name);
    BOOST_TEST(std::filesystem::exists(report.dir.path() / "traces" / name));
  }
}

BOOST_AUTO_TEST_CASE(failure_types_exclusions_and_an_interruption_are_shown) {
  auto suite = sample_suite();
  suite.interrupted_by = "SIGINT";
  suite.scenarios[kFailedScenario].failure_kind = FailureKind::kExpectation;
  suite.scenarios[kErrorScenario].failure_kind = FailureKind::kEngineError;
  const auto text = to_html(suite, HtmlOptions{});
  const auto failed = text.find("id=\"scenario-" + std::to_string(kFailedScenario + 1) + "\"");
  const auto error = text.find("id=\"scenario-" + std::to_string(kErrorScenario + 1) + "\"");
  BOOST_TEST_REQUIRE((failed != std::string::npos && error != std::string::npos));
  BOOST_TEST(text.find("<div class=\"ftype\">ExpectationFailed</div>", failed) < error);
  BOOST_TEST(text.find("<div class=\"ftype\">EngineError</div>", error) != std::string::npos);
  BOOST_TEST(text.find("Deadlock</div>") == std::string::npos, "an expected deadlock typed");
  BOOST_TEST(text.find("2 scenarios tagged slow not run (--tag slow runs them): fault matrix "
                       "long, ten minute soak") != std::string::npos);
  BOOST_TEST(text.find("Interrupted by SIGINT") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_is_escaped) {
  RenderedReport report;
  const auto text = read_file(report.html);
  BOOST_TEST(text.find('\x01') == std::string::npos);
  BOOST_TEST(text.find("<tag attr") == std::string::npos);
  BOOST_TEST(text.find("&lt;tag attr=&quot;x&quot;&gt; &amp; ]]&gt; done \u2401 Grüße, 東京 ✓") !=
             std::string::npos);
  BOOST_TEST(text.find("deadlock: main &lt;-&gt; worker &quot;ping&quot; &amp; &#39;pong&#39;") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(chromium_renders_the_failed_scenario_open) {
  RenderedReport report;
  const auto browser = chromium();
  const auto url = "file://" + report.html.string();

  auto dom_args = chromium_args(report.dir.path() / "profile-dom");
  dom_args.insert(dom_args.end(), {"--dump-dom", url});
  const auto dom_run = run_tool(browser, dom_args, report.dir.path(), kChromiumTimeout);
  BOOST_TEST_REQUIRE(dom_run.succeeded(), dom_run.describe());
  const std::string& dom = dom_run.out;
  BOOST_TEST_REQUIRE(dom.find("</html>") != std::string::npos, dom_run.describe());

  // The script ran (the CSP let the inline script in): it reveals the toolbar.
  BOOST_TEST(dom.find("<nav class=\"toolbar\">") != std::string::npos);
  BOOST_TEST(dom.find("5 of 5 shown") != std::string::npos);

  const auto& failed = report.suite.scenarios[kFailedScenario];
  const auto section = scenario_markup(dom, kFailedScenario + 1);
  const auto open_tag = section.substr(0, section.find('>'));
  BOOST_TEST(open_tag.find(" open") != std::string::npos, open_tag);
  BOOST_TEST(open_tag.find("hidden") == std::string::npos, open_tag);
  BOOST_TEST(section.find(as_dom_text(failed.name)) != std::string::npos);
  BOOST_TEST(section.find(as_dom_text(failed.failure_message)) != std::string::npos);
  for (const auto& expectation : failed.expectations) {
    BOOST_TEST(section.find(as_dom_text(expectation.expected)) != std::string::npos,
               expectation.expected);
    BOOST_TEST(section.find(as_dom_text(expectation.seen)) != std::string::npos, expectation.seen);
  }
  for (const auto& member : failed.deadlocks[0].members) {
    BOOST_TEST(section.find(as_dom_text(member)) != std::string::npos, member);
  }
  BOOST_TEST(section.find("<svg") != std::string::npos, "no timeline or latency chart");
  BOOST_TEST(section.find("<div class=\"ftype\">Deadlock</div>") != std::string::npos,
             "no failure type");
  BOOST_TEST(dom.find(as_dom_text(describe(report.suite.excluded[0]))) != std::string::npos,
             "the scenarios left out are not named");

  // Passed scenarios stay closed so that failures are what one sees first.
  const auto passed = scenario_markup(dom, kPassedScenario + 1);
  BOOST_TEST(passed.substr(0, passed.find('>')).find(" open") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(chromium_screenshot_is_kept_for_people) {
  RenderedReport report;
  const auto browser = chromium();
  const auto kept = kept_output_dir("html_writer_test");
  const auto png = kept / "report.png";

  auto args = chromium_args(report.dir.path() / "profile-shot");
  args.insert(args.end(), {"--window-size=1400,2000", "--screenshot=" + png.string(),
                           "file://" + report.html.string()});
  const auto run = run_tool(browser, args, report.dir.path(), kChromiumTimeout);
  BOOST_TEST_REQUIRE(run.succeeded(), run.describe());
  BOOST_TEST_REQUIRE(std::filesystem::exists(png), run.describe());
  const auto image = read_file(png);
  BOOST_TEST(image.starts_with("\x89PNG\r\n\x1a\n"));
  // A blank white page compresses to a few KB; the rendered report is far larger.
  BOOST_TEST(image.size() > 50'000u, "screenshot is only " << image.size() << " bytes");

  // The report it shows, beside it, to open in a browser.
  std::filesystem::copy(report.dir.path(), kept / "report",
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(kept / "report" / "profile-shot");
  std::cout << "screenshot of report.html: " << png.string() << "\n"
            << "the report itself: " << (kept / "report" / "report.html").string() << std::endl;
}
