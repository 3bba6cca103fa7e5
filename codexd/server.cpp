// Beast transport, in the shape of Beast's advanced server: a listener, an HTTP session per
// connection (header first, then a body bounded by its kind), upgrades to WebSocket sessions with
// a bounded write queue. Requests become codex::http::Request values for Api::Dispatch.
#include "server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <codex/json.hpp>
#include <csignal>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>

namespace codexd {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

using Clock = std::chrono::steady_clock;
std::atomic<std::int64_t> g_sockets{0};   // open WebSockets
std::atomic<std::int64_t> g_inflight{0};  // requests read but not yet answered

// A window of an open file, for range responses through basic_file_body.
class RangeFile {
 public:
  RangeFile() = default;
  void Attach(std::shared_ptr<codex::OpenedFile> f, std::uint64_t from, std::uint64_t n) {
    file_ = std::move(f), from_ = from, size_ = n, pos_ = 0;
  }
  bool is_open() const { return file_ != nullptr; }
  void close(beast::error_code& ec) { file_.reset(), ec = {}; }
  void open(char const*, beast::file_mode, beast::error_code& ec) {
    ec = net::error::operation_not_supported;
  }
  std::uint64_t size(beast::error_code& ec) const { return ec = {}, size_; }
  std::uint64_t pos(beast::error_code& ec) const { return ec = {}, pos_; }
  void seek(std::uint64_t p, beast::error_code& ec) { pos_ = p, ec = {}; }
  std::size_t read(void* buf, std::size_t n, beast::error_code& ec) {
    n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - pos_));
    ssize_t got = ::pread(file_->fd(), buf, n, static_cast<off_t>(from_ + pos_));
    if (got < 0) return ec = beast::error_code(errno, beast::system_category()), 0;
    pos_ += static_cast<std::uint64_t>(got);
    return ec = {}, static_cast<std::size_t>(got);
  }
  std::size_t write(void const*, std::size_t, beast::error_code& ec) {
    return ec = net::error::operation_not_supported, 0;
  }

 private:
  std::shared_ptr<codex::OpenedFile> file_;
  std::uint64_t from_ = 0, size_ = 0, pos_ = 0;
};

codex::http::Request ToRequest(const bhttp::request_header<>& h, const std::string& peer) {
  codex::http::Request r;
  r.method = std::string(h.method_string());
  r.target = std::string(h.target());
  for (const auto& f : h) r.AddHeader(f.name_string(), std::string(f.value()));
  r.peer = peer;
  return r;
}

template <class Body>
void CopyHeaders(bhttp::response<Body>& res, const codex::http::Response& r, bool keep_alive) {
  res.result(static_cast<unsigned>(r.status));
  res.keep_alive(keep_alive);
  for (const auto& [k, v] : r.headers) res.insert(k, v);
}

// A WebSocket connection: the protocol lives in codex::http::EventChannel; this class carries
// its sends (one write outstanding, at most 256 queued, else 1013) and closes.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(tcp::socket&& s, codex::Codex& codex, codex::http::Api& api)
      : ws_(std::move(s)), codex_(codex), api_(api), timer_(ws_.get_executor()) {}
  ~WebSocketSession() {
    if (counted_) --g_sockets;
  }

  void Run(bhttp::request<bhttp::string_body> req, codex::http::Request head) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);  // clients send pings and auth messages only
    ws_.async_accept(
        req, [self = shared_from_this(), head = std::move(head)](beast::error_code ec) mutable {
          if (!ec) self->Start(std::move(head));
        });
  }

  void Close(int code, std::string reason) {
    if (closing_) return;
    closing_ = true;
    timer_.cancel();
    if (channel_) channel_->Stop();
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                    [self = shared_from_this()](beast::error_code) {});
  }
  auto executor() { return ws_.get_executor(); }

 private:
  void Start(codex::http::Request head) {
    counted_ = true, ++g_sockets;
    std::weak_ptr<WebSocketSession> weak = weak_from_this();
    auto ex = ws_.get_executor();
    codex::http::EventChannel::Sink sink{
        [weak, ex](std::string text) {  // from any thread: hop onto the connection's strand
          net::post(ex, [weak, text = std::move(text)]() mutable {
            if (auto self = weak.lock()) self->Queue(std::move(text));
          });
        },
        [weak, ex](int code, std::string reason) {
          net::post(ex, [weak, code, reason = std::move(reason)] {
            if (auto self = weak.lock()) self->Close(code, reason);
          });
        }};
    channel_.emplace(codex_, api_, std::move(head), std::move(sink));
    if (!channel_->Open()) {  // the first message may authenticate, within 5 s
      timer_.expires_after(std::chrono::seconds(5));
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->channel_->Expire();
      });
    }
    Read();
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->channel_->Stop();
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (!self->closing_) self->channel_->OnText(text);
      self->Read();
    });
  }

  void Queue(std::string text) {
    if (closing_) return;
    if (queue_.size() >= 256) {
      api_.CountDroppedWebSocket("slow");
      return Close(1013, "Client too slow");
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) Write();
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->channel_->Stop();
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closing_) self->Write();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  codex::Codex& codex_;
  codex::http::Api& api_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::optional<codex::http::EventChannel> channel_;
  bool closing_ = false, counted_ = false;
};

struct Registry {  // live WebSocket sessions, to close them at shutdown
  std::mutex mutex;
  std::vector<std::weak_ptr<WebSocketSession>> sessions;

  void Add(const std::shared_ptr<WebSocketSession>& s) {  // forgetting the ended ones
    std::lock_guard<std::mutex> lock(mutex);
    std::erase_if(sessions, [](const auto& w) { return w.expired(); });
    sessions.push_back(s);
  }
} g_registry;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& s, codex::Codex& codex, codex::http::Api& api, net::thread_pool& pool)
      : stream_(std::move(s)), codex_(codex), api_(api), pool_(pool) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "" : ep.address().to_string();
  }

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHead(); });
  }

 private:
  void ReadHead() {
    head_.emplace();
    head_->header_limit(64 * 1024);
    head_->body_limit(boost::none);  // CheckHead and the body's own parser apply the limits
    stream_.expires_after(std::chrono::seconds(60));
    bhttp::async_read_header(stream_, buffer_, *head_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->Fail(ec);
                               self->started_ = Clock::now();
                               self->busy_ = true, ++g_inflight;
                               self->OnHead();
                             });
  }

  void OnHead() {
    auto& h = head_->get();
    request_ = ToRequest(h.base(), peer_);
    // Only the event streams upgrade; elsewhere an Upgrade header is ignored (404, 200, …).
    if (websocket::is_upgrade(h) && h.target().starts_with("/api/v1/ws/")) {
      body_.emplace(std::move(*head_));
      body_->body_limit(static_cast<std::uint64_t>(api_.config().max_json_bytes));
      return bhttp::async_read(stream_, buffer_, *body_,
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) return self->Fail(ec);
                                 auto ws = std::make_shared<WebSocketSession>(
                                     self->stream_.release_socket(), self->codex_, self->api_);
                                 g_registry.Add(ws);
                                 ws->Run(self->body_->release(), std::move(self->request_));
                               });
    }
    std::int64_t length =
        h.has_content_length() ? static_cast<std::int64_t>(*head_->content_length()) : 0;
    if (auto refusal = api_.CheckHead(request_, length)) {
      keep_alive_ = false, unread_body_ = true;
      return Send(std::move(*refusal));
    }
    bool multipart = request_.Header("content-type").value_or("").rfind("multipart/", 0) == 0;
    if (multipart) {  // streamed to disk, never whole in memory
      file_.emplace(std::move(*head_));
      file_->body_limit(static_cast<std::uint64_t>(api_.config().max_upload_bytes));
      request_.body_file = api_.UploadPath();
      beast::error_code ec;
      file_->get().body().open(request_.body_file.c_str(), beast::file_mode::write, ec);
      if (ec) return Fail(ec);
      return bhttp::async_read(stream_, buffer_, *file_,
                               [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                                 self->file_->get().body().close();
                                 if (ec2 == bhttp::error::body_limit) return self->TooLarge();
                                 if (ec2) return self->Fail(ec2);
                                 self->Handle();
                               });
    }
    bool no_body = head_->is_done();  // GETs mostly: no second read operation
    body_.emplace(std::move(*head_));
    if (no_body) return Handle();
    body_->body_limit(static_cast<std::uint64_t>(api_.config().max_json_bytes));
    bhttp::async_read(stream_, buffer_, *body_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec == bhttp::error::body_limit) return self->TooLarge();
                        if (ec) return self->Fail(ec);
                        self->request_.body = std::move(self->body_->get().body());
                        self->Handle();
                      });
  }

  void TooLarge() {
    keep_alive_ = false, unread_body_ = true;
    Send(*api_.CheckHead(request_, INT64_MAX));
  }

  // Reads run on the I/O thread; anything that may write runs on the blocking pool.
  void Handle() {
    keep_alive_ = (body_ ? body_->get().keep_alive() : file_->get().keep_alive());
    if (request_.read_only()) return Send(api_.Dispatch(request_));
    net::post(pool_, [self = shared_from_this()] {
      auto r = std::make_shared<codex::http::Response>(self->api_.Dispatch(self->request_));
      net::post(self->stream_.get_executor(), [self, r] { self->Send(std::move(*r)); });
    });
  }

  void Send(codex::http::Response r) {
    if (!request_.body_file.empty()) std::remove(request_.body_file.c_str());
    Log(r);
    bool head = request_.method == "HEAD";
    if (r.file && !head) {
      auto res = std::make_shared<bhttp::response<bhttp::basic_file_body<RangeFile>>>();
      CopyHeaders(*res, r, keep_alive_);
      RangeFile window;
      window.Attach(r.file, static_cast<std::uint64_t>(r.file_offset),
                    static_cast<std::uint64_t>(r.file_length));
      beast::error_code reset_ec;
      res->body().reset(std::move(window), reset_ec);
      res->content_length(static_cast<std::uint64_t>(r.file_length));
      return bhttp::async_write(
          stream_, *res,
          [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->After(ec); });
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    CopyHeaders(*res, r, keep_alive_);
    res->body() = std::move(r.body);
    if (r.status != 204 && r.status != 304)
      res->content_length(r.file ? r.file_length : res->body().size());
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->After(ec); });
  }

  void Log(const codex::http::Response& r) const {
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    std::string line = codex::http::AccessLogLine(request_, r, ms) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

  void Idle() {
    if (busy_) busy_ = false, --g_inflight;
  }

  void After(beast::error_code ec) {
    Idle();
    if (ec || !keep_alive_ || stopping_) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      if (!ec && unread_body_ && !stopping_) {
        stream_.expires_after(std::chrono::seconds(5));
        Drain(64 << 20);
      }
      return;
    }
    body_.reset(), file_.reset(), request_ = {};
    ReadHead();
  }

  // After refusing a body: drop what the client still sends (up to `budget` bytes or 5 s), so
  // that closing does not reset the connection before the client has read the answer.
  void Drain(std::size_t budget) {
    stream_.async_read_some(buffer_.prepare(64 * 1024), [self = shared_from_this(), budget](
                                                            beast::error_code ec, std::size_t n) {
      if (!ec && n < budget) self->Drain(budget - n);
    });
  }

  void Fail(beast::error_code ec) {
    if (ec != bhttp::error::end_of_stream && ec != net::error::operation_aborted &&
        ec != beast::error::timeout) {
      if (ec.category() == beast::error_code(bhttp::error::bad_target).category() ||
          ec == bhttp::error::header_limit) {
        keep_alive_ = false;
        return Send(api_.Malformed(request_, ec == bhttp::error::header_limit));
      }
    }
    Idle();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

 public:
  ~HttpSession() { Idle(); }
  static inline std::atomic<bool> stopping_{false};

 private:
  beast::tcp_stream stream_;
  codex::Codex& codex_;
  codex::http::Api& api_;
  net::thread_pool& pool_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_;
  codex::http::Request request_;
  bool keep_alive_ = true, busy_ = false, unread_body_ = false;
  Clock::time_point started_ = Clock::now();
};

}  // namespace

std::int64_t WebSocketCount() { return g_sockets.load(); }

int Serve(codex::Codex& codex, codex::http::Api& api, const ServerOptions& options,
          const std::function<void(unsigned short)>& on_listening) {
  net::io_context ioc(options.io_threads);
  net::thread_pool pool(static_cast<std::size_t>(options.blocking_threads));
  tcp::acceptor acceptor(net::make_strand(ioc));
  beast::error_code ec;
  tcp::endpoint endpoint(net::ip::make_address(options.address, ec), options.port);
  if (!ec) acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << codex::http::LogLine("error", "cannot listen on " + options.address + ":" +
                                                   std::to_string(options.port) + ": " +
                                                   ec.message())
              << "\n";
    return 1;
  }
  std::function<void()> accept = [&] {
    acceptor.async_accept(net::make_strand(ioc), [&](beast::error_code e, tcp::socket s) {
      if (e) return;  // closed at shutdown
      std::make_shared<HttpSession>(std::move(s), codex, api, pool)->Run();
      accept();
    });
  };
  accept();
  on_listening(acceptor.local_endpoint().port());
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer deadline(ioc);
  Clock::time_point begun;
  std::function<void()> drain;
  signals.async_wait([&](beast::error_code, int) {
    HttpSession::stopping_ = true;
    net::post(acceptor.get_executor(), [&] { acceptor.close(); });
    std::lock_guard<std::mutex> lock(g_registry.mutex);
    for (auto& weak : g_registry.sessions) {
      if (auto s = weak.lock()) {
        net::post(s->executor(), [s] { s->Close(1001, "Server shutting down"); });
      }
    }
    // In-flight requests get up to 10 s, closing WebSockets 2 s; idle connections none.
    begun = Clock::now();
    drain = [&] {
      auto waited = Clock::now() - begun;
      bool done = g_inflight == 0 && (g_sockets == 0 || waited > std::chrono::seconds(2));
      if (done || waited > std::chrono::seconds(10)) return ioc.stop();
      deadline.expires_after(std::chrono::milliseconds(20));
      deadline.async_wait([&](beast::error_code) { drain(); });
    };
    drain();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < options.io_threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  pool.join();
  return 0;
}

}  // namespace codexd
