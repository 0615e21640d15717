# syntax=docker/dockerfile:1
# One-shot first-run seed for docker compose: the same data as `./tollgate up` (simulator channels, prices, a demo
# user with $10 and a demo key), written through the admin API by dev.tollgate.local.SeedMain. Build from the
# repository root:
#   docker build -f deploy/docker/seed.Dockerfile -t tollgate/seed .
# Only the launcher's jar and Jackson are shipped: the launcher's Kafka and embedded MariaDB jars are not needed.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl deploy/local -am package -DskipTests
RUN mkdir -p /seed/lib \
 && cp deploy/local/target/local.jar /seed/ \
 && cp deploy/local/target/lib/jackson-core-3*.jar deploy/local/target/lib/jackson-databind-3*.jar \
       deploy/local/target/lib/jackson-annotations-*.jar /seed/lib/

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tollgate \
 && mkdir -p /var/lib/tollgate-seed \
 && chown 10001:10001 /var/lib/tollgate-seed
WORKDIR /app
COPY --from=build /seed/ ./
USER 10001:10001
# No port and no HEALTHCHECK: it runs once and exits (0 when seeded, or already seeded before).
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app/local.jar:/app/lib/*", "dev.tollgate.local.SeedMain"]
CMD ["--admin-url", "http://admin:8081", "--simulator-url", "http://simulator:8090", "--state", "/var/lib/tollgate-seed"]
