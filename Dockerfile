# syntax=docker/dockerfile:1
# The Mayfly broker as a container image: built from this checkout with the Maven wrapper on a JDK image,
# run on a slim base with the release image that mayfly-dist lays out (the same files as the release
# tarball: bin/, lib/mayfly.jar, a jlink'd runtime/). docs/operations.md, "Container image".
#
#   docker build -t mayfly .
#   docker run -d --name mayfly --read-only --tmpfs /tmp -v mayfly-state:/var/lib/mayfly -p 8470:8470 mayfly
#   docker exec mayfly cat /var/lib/mayfly/admin.json      # the bootstrap admin's credentials
#
# Not built on the project's machines (they have no container engine): DockerfileIT checks that every path
# used here exists in the build context and in the image mayfly-dist builds.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The tests run in CI (./mvnw verify); here only the release image is built. The cache mount keeps Maven's
# downloads between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl mayfly-dist -am package

FROM debian:bookworm-slim
# A fixed uid/gid, so that volume ownership and Kubernetes' runAsUser can name it; never root.
RUN groupadd --system --gid 10001 mayfly \
 && useradd --system --uid 10001 --gid mayfly --home-dir /var/lib/mayfly --shell /usr/sbin/nologin mayfly \
 && install -d -o mayfly -g mayfly -m 0700 /var/lib/mayfly
COPY --from=build /src/mayfly-dist/target/image/ /opt/mayfly/
# State (SQLite database, master key, admin.json) lives in the volume; the root filesystem can be read-only
# (the SQLite driver unpacks its native library into /tmp: give it a tmpfs). The launcher's class-data-sharing
# archive is for short CLI runs and would otherwise be written into the state volume: off.
ENV MAYFLY_HOME=/var/lib/mayfly \
    MAYFLY_CDS=off \
    PATH=/opt/mayfly/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VOLUME ["/var/lib/mayfly"]
USER 10001:10001
WORKDIR /var/lib/mayfly
EXPOSE 8470
# GET /readyz over plain HTTP with bash alone (the image has no curl). With --tls-cert, replace this check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/opt/mayfly/bin/mayfly-healthcheck", "127.0.0.1:8470"]
# The launcher execs the JVM, so the broker is PID 1's process and gets docker stop's SIGTERM: in-flight
# requests finish, the database is closed.
ENTRYPOINT ["/opt/mayfly/bin/mayfly"]
# Plain HTTP on all interfaces (--insecure): TLS is expected to end at the load balancer or ingress in front.
# Set --issuer to the URL clients use; or pass --tls-cert/--tls-key files from a mounted secret.
CMD ["server", "--listen", "0.0.0.0:8470", "--insecure", "--issuer", "http://localhost:8470"]
