# syntax=docker/dockerfile:1
# Tollgate relay image. Build from the repository root (the build needs the root pom and every module's pom):
#   docker build -f deploy/docker/relay.Dockerfile -t tollgate/relay .
# Stage 1 builds only this service (and the modules it uses); stage 2 runs Spring Boot's extracted layered jar
# on a JRE as a non-root user, so a code change re-ships only the small application layer.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl relay-service -am package -DskipTests
RUN java -Djarmode=tools -jar relay-service/target/relay-service.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tollgate \
 && mkdir -p /var/lib/tollgate/spool \
 && chown -R 10001:10001 /var/lib/tollgate
# The usage spool (DESIGN invariant 2): mount a volume here, or events spooled while Kafka is down die with
# the container.
VOLUME /var/lib/tollgate/spool
WORKDIR /app
# Least to most often changed: third-party jars, the launcher, our snapshot jars, the application itself.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
ENV TOLLGATE_RELAY_PORT=8080 \
    TOLLGATE_SPOOL_DIR=/var/lib/tollgate/spool
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["healthcheck", "8080", "/actuator/health/readiness"]
# Heap sized from the container's memory limit; an OutOfMemoryError ends the JVM so the orchestrator restarts it.
# 60 %, not 75: 1,000 open streams need ~190 MB outside the heap (docs/benchmarks.md), more than 25 % of 768 Mi.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
