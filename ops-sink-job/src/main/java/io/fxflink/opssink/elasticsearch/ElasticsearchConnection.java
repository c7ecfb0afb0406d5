package io.fxflink.opssink.elasticsearch;

import co.elastic.clients.transport.TransportUtils;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * How to reach Elasticsearch: one or more URLs (http or https), optional basic credentials or an
 * API key, optional CA certificate (PEM file) or CA fingerprint for TLS with a private CA, and
 * timeouts. Serializable so the sink ships it to the task managers; secrets never appear in {@link
 * #toString()}.
 */
public final class ElasticsearchConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> urls;
    private final String username;
    private final String password;
    private final String apiKey;
    private final String caCertPath;
    private final String caFingerprint;
    private final int connectTimeoutMs;
    private final int socketTimeoutMs;

    private ElasticsearchConnection(Builder b) {
        this.urls = List.copyOf(b.urls);
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.caCertPath = b.caCertPath;
        this.caFingerprint = b.caFingerprint;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.socketTimeoutMs = b.socketTimeoutMs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> urls() {
        return urls;
    }

    /** A new low-level client; the caller closes it. */
    public RestClient restClient() {
        List<HttpHost> hosts = new ArrayList<>();
        for (String url : urls) {
            URI uri = URI.create(url);
            hosts.add(new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme()));
        }
        RestClientBuilder builder = RestClient.builder(hosts.toArray(HttpHost[]::new));
        List<Header> headers = new ArrayList<>();
        if (apiKey != null) {
            headers.add(new BasicHeader("Authorization", "ApiKey " + apiKey));
        } else if (username != null) {
            String token =
                    Base64.getEncoder()
                            .encodeToString(
                                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            headers.add(new BasicHeader("Authorization", "Basic " + token));
        }
        builder.setDefaultHeaders(headers.toArray(Header[]::new));
        builder.setRequestConfigCallback(
                rc -> rc.setConnectTimeout(connectTimeoutMs).setSocketTimeout(socketTimeoutMs));
        SSLContext ssl = sslContext();
        if (ssl != null) {
            builder.setHttpClientConfigCallback(hc -> hc.setSSLContext(ssl));
        }
        return builder.build();
    }

    private SSLContext sslContext() {
        if (caCertPath != null) {
            try {
                return TransportUtils.sslContextFromHttpCaCrt(new File(caCertPath));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the Elasticsearch CA certificate " + caCertPath, e);
            }
        }
        if (caFingerprint != null) {
            return TransportUtils.sslContextFromCaFingerprint(caFingerprint);
        }
        return null; // https with a publicly trusted certificate needs nothing extra
    }

    @Override
    public String toString() {
        return "ElasticsearchConnection"
                + urls
                + (apiKey != null
                        ? " (api key)"
                        : username != null ? " (user " + username + ")" : "")
                + (caCertPath != null ? " (ca " + caCertPath + ")" : "")
                + (caFingerprint != null ? " (ca fingerprint)" : "");
    }

    /** Builder that checks each setting as it is set and the combination in {@link #build()}. */
    public static final class Builder {
        private final List<String> urls = new ArrayList<>();
        private String username;
        private String password;
        private String apiKey;
        private String caCertPath;
        private String caFingerprint;
        private int connectTimeoutMs = 5_000;
        private int socketTimeoutMs = 60_000;

        public Builder url(String url) {
            Objects.requireNonNull(url, "Elasticsearch URL");
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Elasticsearch URL '" + url + "' is invalid", e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getPort() < 0) {
                throw new IllegalArgumentException(
                        "Elasticsearch URL '"
                                + url
                                + "' must look like http://host:9200 or https://host:9200");
            }
            urls.add(url.trim());
            return this;
        }

        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username, "Elasticsearch username");
            this.password = Objects.requireNonNull(password, "Elasticsearch password");
            return this;
        }

        /** The encoded API key (the {@code encoded} value Elasticsearch returns). */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "Elasticsearch API key");
            return this;
        }

        public Builder caCertificate(String pemPath) {
            this.caCertPath = Objects.requireNonNull(pemPath, "CA certificate path");
            return this;
        }

        public Builder caFingerprint(String sha256Fingerprint) {
            this.caFingerprint = Objects.requireNonNull(sha256Fingerprint, "CA fingerprint");
            return this;
        }

        public Builder timeouts(int connectTimeoutMs, int socketTimeoutMs) {
            if (connectTimeoutMs <= 0 || socketTimeoutMs <= 0) {
                throw new IllegalArgumentException("Elasticsearch timeouts must be positive");
            }
            this.connectTimeoutMs = connectTimeoutMs;
            this.socketTimeoutMs = socketTimeoutMs;
            return this;
        }

        public ElasticsearchConnection build() {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one Elasticsearch URL is required");
            }
            if (apiKey != null && username != null) {
                throw new IllegalArgumentException(
                        "configure either an Elasticsearch API key or a username/password, not"
                                + " both");
            }
            if (caCertPath != null && caFingerprint != null) {
                throw new IllegalArgumentException(
                        "configure either a CA certificate file or a CA fingerprint, not both");
            }
            if (caCertPath != null && !new File(caCertPath).canRead()) {
                throw new IllegalArgumentException(
                        "the Elasticsearch CA certificate " + caCertPath + " is not readable");
            }
            return new ElasticsearchConnection(this);
        }
    }
}
